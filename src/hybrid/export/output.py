"""Where an export goes: replaced atomically, and never over an existing file unless asked."""

from __future__ import annotations

from pathlib import Path

from hybrid.atomic import write_files_atomically
from hybrid.errors import OutputError


def write_export(path: Path, text: str, *, force: bool) -> None:
    """Write `text` to `path` (temporary sibling, then rename); `OutputError` when `path`
    exists and `force` is not set."""
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists", hint="pass --force to replace it")
    write_files_atomically({path: text})
