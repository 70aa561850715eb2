"""Replace files so that no reader ever sees one half-written: a temporary sibling, then
`os.replace`. The one home of that algorithm, for outputs, caches and downloads alike.

A temporary sibling of `dir/name` is `dir/.name.<random>.tmp`; `remove_stale_temporaries`
knows that shape, so what a killed writer left behind can be found and removed.
"""

from __future__ import annotations

import os
import re
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from hybrid.errors import OutputError


def write_files_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write every file to a temporary sibling first, then move all into place.

    A failure while writing leaves every target as it was; text is written as UTF-8 with LF
    endings, bytes as they are. An `OSError` (a read-only directory, a target that is a
    directory) becomes a `HybridError` naming the file. SIGINT and SIGTERM that arrive while
    the files are moved into place take effect once all of them are (`_signals_deferred`).
    """
    for path in files:
        if path.is_dir():
            raise OutputError(f"cannot write {path}: a directory of that name is in the way")
    staged: list[tuple[Path, Path]] = []
    current = Path()
    try:
        for current, content in sorted(files.items()):
            tmp = _stage(current)
            staged.append((tmp, current))
            _write(tmp, content)
        with _signals_deferred():
            for tmp, current in staged:
                os.replace(tmp, current)
            staged.clear()
    except OSError as exc:
        raise OutputError(f"cannot write {current}: {exc.strerror or exc}") from exc
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A new, empty temporary sibling of `target` for another writer (a download) to fill.

    It replaces `target` when the block ends normally and is removed when the block raises;
    `OSError`s pass through unchanged.
    """
    tmp = _stage(target)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale_temporaries(targets: Iterable[Path]) -> list[Path]:
    """Remove the temporary siblings (`.<name>.<random>.tmp`) of `targets` that a killed
    writer left behind; returns them. Only a caller that keeps every other writer of these
    targets out (the output-directory lock) may call it: a live writer's siblings match too."""
    by_directory: dict[Path, set[str]] = {}
    for target in targets:
        by_directory.setdefault(target.parent, set()).add(target.name)
    removed: list[Path] = []
    for directory, names in sorted(by_directory.items()):
        try:
            entries = sorted(os.listdir(directory))
        except OSError:  # no directory yet, nothing left in it
            continue
        for entry in entries:
            match = _TEMPORARY.fullmatch(entry)
            if match and match.group(1) in names:
                (directory / entry).unlink(missing_ok=True)
                removed.append(directory / entry)
    return removed


# `_stage`'s names: `mkstemp` puts 8 characters of [a-z0-9_] between prefix and suffix.
_TEMPORARY = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")
_DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_Handler = Callable[[int, FrameType | None], Any] | int


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM are recorded while the block runs and delivered again when it ends.

    Python runs signal handlers in the main thread only, but the operating system may hand a
    signal to any thread, and after a rattler solve the process has native threads (seven
    in all after solving two platforms), so blocking the main thread's signal mask does not
    keep a `KeyboardInterrupt` from landing between two renames; replacing the Python-level
    handler does. A signal that is ignored, or handled outside Python, is left alone; off the main
    thread (where handlers cannot be set) the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def record(signum: int, _frame: FrameType | None) -> None:
        arrived.append(signum)

    saved: dict[signal.Signals, _Handler] = {}
    try:
        for signum in _DEFERRED_SIGNALS:
            previous = signal.getsignal(signum)
            if previous is not None and previous != signal.SIG_IGN:
                saved[signum] = previous
                signal.signal(signum, record)
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)
        for number in dict.fromkeys(arrived):
            signal.raise_signal(number)


def _stage(target: Path) -> Path:
    """A new empty file next to `target` (so `os.replace` stays on one file system), with the
    mode a plain `open()` would give: `mkstemp` makes 0600 files."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, _new_file_mode())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _write(tmp: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _new_file_mode() -> int:
    """0o666 minus the process umask (read by setting it and putting it back)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
