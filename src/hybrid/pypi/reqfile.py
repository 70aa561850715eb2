"""Read the pinned requirements file that ``uv pip compile`` and ``pip-compile`` write."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement

from hybrid.errors import BackendError
from hybrid.redact import redact

_INDEX_ANNOTATION = re.compile(r"^#\s+from\s+(?P<url>\S+)\s*$")


@dataclass(frozen=True, kw_only=True, slots=True)
class CompiledLine:
    """One requirement of a compiled file: ``name==version`` or ``name @ url``, its hashes."""

    requirement: Requirement
    hashes: tuple[str, ...]
    index_url: str | None


def parse_compiled(text: str, *, tool: str) -> list[CompiledLine]:
    """The requirements of ``text``; option lines and comments are skipped.

    A ``# from <index>`` comment (uv's ``--emit-index-annotation``) right after a requirement
    names the index it came from.
    """
    lines: list[CompiledLine] = []
    for logical in _logical_lines(text):
        annotation = _INDEX_ANNOTATION.match(logical)
        if annotation and lines:
            last = lines[-1]
            lines[-1] = CompiledLine(
                requirement=last.requirement, hashes=last.hashes, index_url=annotation["url"]
            )
            continue
        if not logical or logical.startswith(("#", "-")):
            continue
        lines.append(_parse_line(logical, tool=tool))
    return lines


def _logical_lines(text: str) -> Iterator[str]:
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        yield (pending + stripped).strip()
        pending = ""
    if pending:
        yield pending.strip()


def _parse_line(line: str, *, tool: str) -> CompiledLine:
    head, *options = re.split(r"\s+(?=--)", line)
    hashes: list[str] = []
    for option in options:
        name, _, value = option.partition("=")
        if name.strip() != "--hash":
            raise BackendError(f"{tool} wrote an unexpected option: {redact(option)!r}")
        hashes.append(value.strip())
    try:
        requirement = Requirement(head)
    except InvalidRequirement as exc:
        raise BackendError(
            f"{tool} wrote a line hybrid cannot read: {redact(line)!r} ({exc})"
        ) from exc
    return CompiledLine(requirement=requirement, hashes=tuple(sorted(hashes)), index_url=None)
