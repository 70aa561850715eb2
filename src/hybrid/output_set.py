"""Replace an output set (every file one `hybrid solve` writes) as one unit.

Outputs share their directory with the spec and the user's files, so the set cannot be swapped
as a directory; instead, under an exclusive lock on the output directory, every file is staged
as a temporary sibling and all are renamed into place with SIGINT and SIGTERM held back
(`write_files_atomically`). A second writer of the same directory waits for the first (and is
told so through `on_wait`) instead of interleaving its files with the first's. What a killed
writer can still leave (SIGKILL cannot be held back): its temporary files, which the next
writer removes, and a set mixing two solves, which `hybrid check` finds through the set digest
every output records.

The lock is `fcntl.flock` on `LOCK_FILE` in the output directory, removed again by the writer
that holds it: a writer that was waiting on a removed lock file starts over on the new one.
Windows has no `fcntl`: there the lock is skipped.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from hybrid.atomic import remove_stale_temporaries, write_files_atomically
from hybrid.errors import OutputError

if sys.platform != "win32":
    import fcntl

LOCK_FILE = ".hybrid.lock"

Waiting = Callable[[Path], None]
"""Told the lock file's path when another writer holds it, before waiting for it."""


def write_output_set(
    files: Mapping[Path, str | bytes], *, directory: Path, on_wait: Waiting | None = None
) -> None:
    """Write `files` (all inside `directory`) as one set: under the directory's lock, after
    removing the temporary files a killed writer left next to them."""
    with output_lock(directory, on_wait=on_wait):
        remove_stale_temporaries(files)
        write_files_atomically(files)


@contextmanager
def output_lock(directory: Path, *, on_wait: Waiting | None = None) -> Iterator[Path]:
    """Hold the exclusive lock on `directory` (created if missing) while the block runs;
    yields the lock file. Waits as long as another process holds it; a signal ends the wait."""
    path = directory / LOCK_FILE
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = _acquire(path, on_wait)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        yield path
    finally:
        if fd is not None:
            with suppress(OSError):
                path.unlink()  # while still holding it: see the module docstring
            os.close(fd)


if sys.platform == "win32":

    def _acquire(path: Path, on_wait: Waiting | None) -> int | None:
        return None

else:

    def _acquire(path: Path, on_wait: Waiting | None) -> int | None:
        """An open descriptor of `path` holding its exclusive lock, `path` still being the
        file locked (not one a previous holder removed)."""
        told = False
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if on_wait is not None and not told:
                        on_wait(path)
                        told = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                if _is_current(fd, path):
                    return fd
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)

    def _is_current(fd: int, path: Path) -> bool:
        try:
            named = path.stat()
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)
