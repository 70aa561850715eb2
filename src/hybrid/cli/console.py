"""The consoles the CLI prints to (stdout for results, stderr for messages)."""

from __future__ import annotations

import sys

from rich.console import Console


def out_console() -> Console:
    return Console(file=sys.stdout, highlight=False, soft_wrap=True, emoji=False)


def err_console() -> Console:
    return Console(file=sys.stderr, highlight=False, soft_wrap=True, emoji=False)
