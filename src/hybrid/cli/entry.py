"""The `hybrid` console script: the first thing it does is make SIGINT and SIGTERM end the
process quietly, then it imports the command line (click, rich: about 0.25 s) and runs its
error boundary, `hybrid.cli.main.main`. It imports nothing heavy itself."""

from __future__ import annotations

from hybrid.cli.signals import exit_quietly


def main() -> int:
    exit_quietly()
    from hybrid.cli.main import main as run

    return run()
