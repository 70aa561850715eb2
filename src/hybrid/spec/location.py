"""Where a value stands in a spec file, and how to name the field that holds it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PathPart = str | int


@dataclass(frozen=True, kw_only=True, slots=True)
class Location:
    """A 1-based line and column in a file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def field_path(path: Sequence[PathPart]) -> str:
    """`("conda", 2, "spec")` -> `conda[2].spec`; the empty path is the document."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += part if not out else f".{part}"
    return out or "(document)"


def printable(text: str) -> str:
    """`text` kept on one line, with invisible characters as escapes (`a\x1eb` -> `a\\x1eb`).

    Problems quote what a spec contains; a key or entry holding a line break or a control
    character must not split a message or hide in it.
    """
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )
