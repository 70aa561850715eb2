"""Write a set of files so that none is ever seen half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from hybrid.errors import OutputError


def write_files_atomically(files: Mapping[Path, str]) -> None:
    """Write every file to a temporary sibling first, then move all into place.

    A failure while writing leaves every target as it was; text is written with LF endings.
    An `OSError` (a read-only directory, a target that is a directory) becomes a `HybridError`
    naming the file.
    """
    for path in files:
        if path.is_dir():
            raise OutputError(f"cannot write {path}: a directory of that name is in the way")
    mode = _new_file_mode()
    staged: list[tuple[str, Path]] = []
    current = Path()
    try:
        for current, text in sorted(files.items()):
            current.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                prefix=f".{current.name}.", suffix=".tmp", dir=current.parent
            )
            staged.append((tmp, current))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp makes 0600 files; outputs get the mode a plain open() would give.
            os.chmod(tmp, mode)
        for tmp, current in staged:
            os.replace(tmp, current)
        staged.clear()
    except OSError as exc:
        raise OutputError(f"cannot write {current}: {exc.strerror or exc}") from exc
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _new_file_mode() -> int:
    """0o666 minus the process umask (read by setting it and putting it back)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
