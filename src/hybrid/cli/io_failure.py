"""`OSError`s that are the machine's, not a bug in hybrid: a full disk, a file-size limit
(`ulimit -f`), a read-only file system, standard output closed or full (`> /dev/full`).

The core turns the writes it expects to fail into `OutputError`s itself (`atomic.py`); these
are the ones that reach the CLI's boundary from anywhere else, printing included.
"""

from __future__ import annotations

import errno
import os
import sys

from hybrid.errors import OutputError
from hybrid.spec.location import printable

_MACHINE_ERRNOS = frozenset(
    code
    for code in (
        errno.ENOSPC,
        getattr(errno, "EDQUOT", None),
        errno.EFBIG,
        errno.EROFS,
        errno.EPIPE,
        errno.EIO,
        errno.ENAMETOOLONG,
        errno.EMFILE,
        errno.ENFILE,
    )
    if code is not None
)
# What `tempfile` raises (ENOENT) when no directory it tries takes a file, `ulimit -f 0` too.
_NO_TEMPORARY_DIRECTORY = "No usable temporary directory"


def io_failure(exc: BaseException) -> OutputError | None:
    """The `OutputError` that `exc` stands for when it is a failure of the machine; None for
    anything else (a bug). Standard output that cannot be written is pointed at the null
    device, so the flush at exit does not fail once more."""
    if not isinstance(exc, OSError):
        return None
    reason = exc.strerror or str(exc)
    if reason.startswith(_NO_TEMPORARY_DIRECTORY):
        return OutputError(
            f"cannot write a temporary file: {printable(reason)}",
            hint="free some space, check `ulimit -f`, or set TMPDIR to a writable directory",
        )
    if exc.errno not in _MACHINE_ERRNOS:
        return None
    hint = "a file-size limit is in the way (`ulimit -f`)" if exc.errno == errno.EFBIG else None
    if exc.filename is None and _discard_unwritable_stdout():
        return OutputError(f"cannot write to standard output: {reason}", hint=hint)
    target = printable(str(exc.filename)) if exc.filename is not None else "the output"
    return OutputError(f"cannot write {target}: {reason}", hint=hint)


def _discard_unwritable_stdout() -> bool:
    """Whether standard output fails to take what is buffered for it; if so, the process's
    descriptor is pointed at the null device (an in-memory stream is never broken)."""
    stream = sys.stdout
    try:
        stream.flush()
    except OSError:
        pass
    else:
        return False
    try:
        descriptor = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return True
    os.dup2(null, descriptor)
    os.close(null)
    return True
