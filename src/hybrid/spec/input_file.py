"""Reading a file a user names (a spec; an environment, requirements or explicit file): a
regular file only, at most `MAX_INPUT_BYTES`.

Anything else is refused before it is read: opening a FIFO blocks until a writer comes,
`/dev/zero` never ends (read whole, it was a MemoryError), and opening a device can have side
effects. Measured with ruamel.yaml 0.19 (pure Python), the round-trip loader reads about
0.35 MB a second: the 3 MB environment.yml of 100,000 entries loads in 8.7 s, so the
limit keeps the slowest legitimate read to about half a minute.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from hybrid.errors import UsageError
from hybrid.spec.location import printable

#: The largest input file hybrid reads: 8 MiB, more than twice that environment.yml.
MAX_INPUT_BYTES = 8 * 1024 * 1024

# A FIFO that became one between the check and the open must not block the open.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_input(path: Path) -> bytes:
    """The content of `path`; a `UsageError` naming the file when it is missing, unreadable,
    not a regular file or larger than `MAX_INPUT_BYTES`."""
    shown = printable(str(path))
    try:
        _check_kind(shown, os.stat(path).st_mode)
        descriptor = os.open(path, _OPEN_FLAGS)
    except ValueError as exc:  # an embedded NUL byte in the name
        raise UsageError(f"{shown}: not a usable file name: {exc}") from None
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            _check_kind(shown, info.st_mode)
            _check_size(shown, info.st_size)
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    _check_size(shown, len(data))
    return data


def _check_kind(shown: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise UsageError(f"{shown}: is a directory, not a file")
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise UsageError(
        f"{shown}: is {kind}, not a regular file; hybrid reads only regular files "
        "(save the content to a file first)"
    )


def _check_size(shown: str, size: int) -> None:
    if size > MAX_INPUT_BYTES:
        raise UsageError(
            f"{shown}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB, the most hybrid reads "
            "from an input file"
        )
