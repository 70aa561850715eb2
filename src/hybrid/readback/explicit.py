"""Read `conda-<platform>.lock`: conda's explicit format, one `URL#hash` line per package.

A line is `URL#<md5 hex>` or `URL#sha256:<hex>` (or a bare URL, which hybrid never writes and
the installer refuses: nothing could verify it). Comment lines before `@EXPLICIT` form the
header; `# platform: …` and `# input-hash: …` are read from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hybrid.conda.explicit import (
    EXPLICIT_MARKER,
    ExplicitEntry,
    ExplicitLineError,
    is_marker,
    parse_entry,
    split_line,
)
from hybrid.emit.header import read_header_value, read_input_hash
from hybrid.errors import ExplicitFileError


@dataclass(frozen=True, kw_only=True, slots=True)
class ExplicitFile:
    path: Path
    platform: str | None
    input_hash: str | None
    entries: tuple[ExplicitEntry, ...]


def read_explicit(path: Path) -> ExplicitFile:
    """Parse `path`; ExplicitFileError for anything but a well-formed, hashed explicit file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExplicitFileError(f"{path}: no such file", hint="run `hybrid solve` first") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExplicitFileError(f"{path}: cannot read it ({exc})") from None
    return parse_explicit(text, path=path)


def parse_explicit(text: str, *, path: Path) -> ExplicitFile:
    lines = text.splitlines()
    try:
        marker = next(i for i, line in enumerate(lines) if is_marker(line))
    except StopIteration:
        raise ExplicitFileError(
            f"{path}: no {EXPLICIT_MARKER} line; not an explicit file"
        ) from None
    header = [line for line in lines[:marker] if line.startswith("#")]
    entries = []
    for number, line in enumerate(lines[marker + 1 :], start=marker + 2):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            entries.append(parse_line(stripped, where=f"{path}:{number}"))
    return ExplicitFile(
        path=path,
        platform=read_header_value(header, "platform"),
        input_hash=read_input_hash(header),
        entries=tuple(entries),
    )


def parse_line(line: str, *, where: str) -> ExplicitEntry:
    """`URL#md5` or `URL#sha256:hex` -> an entry; `where` (file:line) locates errors."""
    if not split_line(line)[1]:
        raise ExplicitFileError(f"{where}: `{line}` has no hash; hybrid installs only hashed URLs")
    try:
        return parse_entry(line)
    except ExplicitLineError as exc:
        raise ExplicitFileError(f"{where}: {exc}") from None
