"""The consoles the CLI prints to (stdout for results, stderr for messages); whatever they
print passes `hybrid.redact` on its way out, the last line of defence for credentials."""

from __future__ import annotations

import io
import sys
from typing import TextIO, cast

from rich.console import Console

from hybrid.redact import redact


class RedactingStream(io.TextIOBase):
    """`stream`, writing `redact(text)` for every `text` (rich writes a rendered print whole)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(redact(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"


def _console(stream: TextIO) -> Console:
    redacting = cast(TextIO, RedactingStream(stream))
    return Console(file=redacting, highlight=False, soft_wrap=True, emoji=False)


def out_console() -> Console:
    return _console(sys.stdout)


def err_console() -> Console:
    return _console(sys.stderr)
