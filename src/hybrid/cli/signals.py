"""How `hybrid` meets SIGINT (Ctrl-C) and SIGTERM (`kill PID`, a cancelled CI job): never
with a traceback, and never between two files of an output set (`hybrid.atomic`).

- While the command line is imported (about 0.25 s, before the error boundary exists):
  SIGINT exits 130 and SIGTERM 143 at once (`exit_quietly`, set by `hybrid.cli.entry`).
- While a command runs: SIGINT raises `KeyboardInterrupt` and SIGTERM raises `Terminated`;
  both are `BaseException`s, so every `finally` runs (temporary files removed, the output
  lock released) and the error boundary exits 130 or 143 (`raising_on_signals`).

A signal that was ignored when hybrid started (`nohup`, a background job of a
non-interactive shell) stays ignored, as Python itself leaves an ignored SIGINT alone. While
a solver runs native code the signal takes effect when that call returns to Python.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, NoReturn

from hybrid.errors import ExitCode

_Handler = Callable[[int, FrameType | None], Any] | int

EXIT_CODES: dict[signal.Signals, ExitCode] = {
    signal.SIGINT: ExitCode.INTERRUPTED,
    signal.SIGTERM: ExitCode.TERMINATED,
}


class Terminated(BaseException):
    """SIGTERM arrived while a command ran."""


def exit_quietly() -> None:
    """SIGINT and SIGTERM end the process with `SystemExit` (130, 143): while modules are
    imported, a `KeyboardInterrupt` would end it with a traceback."""
    for signum, code in EXIT_CODES.items():
        _replace(signum, _exiting(code))


@contextmanager
def raising_on_signals() -> Iterator[None]:
    """SIGINT raises `KeyboardInterrupt` and SIGTERM `Terminated` while the block runs; the
    previous handlers come back after it. Off the main thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved: dict[signal.Signals, _Handler] = {}
    try:
        for signum, handler in (
            (signal.SIGINT, signal.default_int_handler),
            (signal.SIGTERM, _terminate),
        ):
            previous = _replace(signum, handler)
            if previous is not None:
                saved[signum] = previous
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


def _replace(signum: signal.Signals, handler: _Handler) -> _Handler | None:
    """Set `handler` unless the signal is ignored or handled outside Python; the handler it
    replaced, or None when it left it alone."""
    previous = signal.getsignal(signum)
    if previous is None or previous == signal.SIG_IGN:
        return None
    signal.signal(signum, handler)
    return previous


def _exiting(code: ExitCode) -> Callable[[int, FrameType | None], NoReturn]:
    def handler(_signum: int, _frame: FrameType | None) -> NoReturn:
        raise SystemExit(int(code))

    return handler


def _terminate(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise Terminated
