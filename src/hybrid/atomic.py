"""Replace files so that no reader ever sees one half-written: a temporary sibling, then
`os.replace`. The one home of that algorithm, for outputs, caches and downloads alike."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from hybrid.errors import OutputError


def write_files_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write every file to a temporary sibling first, then move all into place.

    A failure while writing leaves every target as it was; text is written as UTF-8 with LF
    endings, bytes as they are. An `OSError` (a read-only directory, a target that is a
    directory) becomes a `HybridError` naming the file.
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
