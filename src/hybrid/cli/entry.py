"""The `hybrid` console script: the first thing it does is make SIGINT and SIGTERM end the
process quietly, then it imports the command line (click, rich: about 0.25 s) and runs its
error boundary, `hybrid.cli.main.main`, telling it that this process runs one command (its
heap is frozen after the command's imports, `hybrid.cli.commands.freeze_heap`). It imports
nothing heavy itself."""

from __future__ import annotations

from hybrid.cli.signals import exit_quietly


def main() -> int:
    exit_quietly()
    from hybrid.cli.commands import LazyGroup
    from hybrid.cli.main import main as run

    LazyGroup.freeze_after_import = True  # this process runs one command
    return run()
