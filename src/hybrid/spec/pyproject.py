"""`pip: {from: pyproject.toml, extras: [train]}`: the pip layer's requirements read from a
project's `[project]` table (PEP 621): its `dependencies` and the listed
`optional-dependencies`, a self-reference (`lab[train]` inside `all`) expanded. Only static
metadata is read; `dynamic` dependencies are a located error, as is a missing file, table
or extra. Every problem is located at the spec's `pip.from` (or `pip.extras[i]`) and names
the key of the pyproject file it is about."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from hybrid.spec.loader import LoadedDocument
from hybrid.spec.location import Location
from hybrid.spec.model import PipDependency

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

Problem = tuple[Location, str]


def pyproject_path(doc: LoadedDocument, written: str) -> Path:
    """`from:` relative to the spec's directory."""
    path = Path(written).expanduser()
    return path if path.is_absolute() else doc.path.parent / path


def pyproject_entries(
    doc: LoadedDocument, source: Mapping[str, Any], problems: list[Problem]
) -> list[PipDependency]:
    """The requirements `source` ({from, extras}) names, in file order, each once."""
    where = doc.locate(["pip", "from"])
    path = pyproject_path(doc, str(source["from"]))
    project = _project_table(path, str(source["from"]), where, problems)
    if project is None:
        return []
    shown = source["from"]
    dynamic = project.get("dynamic", [])
    if "dependencies" in dynamic:
        problems.append(
            (where, f"pip.from: {shown} lists `dependencies` as dynamic (set by its build "
                    "backend); hybrid reads only static `[project] dependencies`")
        )
        return []
    name = canonicalize_name(str(project.get("name", "")))
    optional: Mapping[str, Any] = project.get("optional-dependencies", {})
    declared: dict[str, str] = {canonicalize_name(k): k for k in optional}
    required = project.get("dependencies", [])
    lines = [(f"project.dependencies[{i}]", str(r)) for i, r in enumerate(required)]
    for index, extra in enumerate(source.get("extras", [])):
        key = declared.get(canonicalize_name(extra))
        if key is None:
            known = ", ".join(sorted(optional)) or "none"
            problems.append(
                (doc.locate(["pip", "extras", index]),
                 f"pip.extras[{index}]: {shown} has no optional-dependencies `{extra}` "
                 f"(it has: {known})")
            )
            continue
        lines.extend(_extra_lines(optional, declared, key, name))
    return _parsed(lines, shown, where, name, problems)


def _project_table(
    path: Path, shown: str, where: Location, problems: list[Problem]
) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append((where, f"pip.from: {shown} does not exist ({path.absolute()})"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append((where, f"pip.from: {shown} cannot be read: {exc}"))
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.append((where, f"pip.from: {shown} is not valid TOML: {exc}"))
        return None
    project = data.get("project")
    if not isinstance(project, dict):
        problems.append((where, f"pip.from: {shown} has no `[project]` table (PEP 621)"))
        return None
    return project


def _extra_lines(
    optional: Mapping[str, Any], declared: Mapping[str, str], key: str, name: str,
    seen: set[str] | None = None,
) -> list[tuple[str, str]]:
    """An extra's requirements; `name[other]` (the project itself) expands `other`."""
    seen = set() if seen is None else seen
    if key in seen:
        return []
    seen.add(key)
    out: list[tuple[str, str]] = []
    for index, text in enumerate(optional.get(key, [])):
        try:
            requirement = Requirement(str(text))
        except InvalidRequirement:
            out.append((f"project.optional-dependencies.{key}[{index}]", str(text)))
            continue
        if name and canonicalize_name(requirement.name) == name:
            for extra in sorted(requirement.extras):
                other = declared.get(canonicalize_name(extra))
                if other is not None:
                    out.extend(_extra_lines(optional, declared, other, name, seen))
            continue
        out.append((f"project.optional-dependencies.{key}[{index}]", str(text)))
    return out


def _parsed(
    lines: Sequence[tuple[str, str]], shown: str, where: Location, name: str,
    problems: list[Problem],
) -> list[PipDependency]:
    out: list[PipDependency] = []
    seen: set[str] = set()
    for key, text in lines:
        try:
            requirement = Requirement(text)
        except InvalidRequirement as exc:
            reason = str(exc).splitlines()[0]
            problems.append(
                (where, f"pip.from: {shown} {key}: `{text}` is not a valid PEP 508 "
                        f"requirement: {reason}")
            )
            continue
        if name and canonicalize_name(requirement.name) == name:
            continue
        if str(requirement) in seen:
            continue
        seen.add(str(requirement))
        out.append(PipDependency(requirement=requirement, field=f"{shown}:{key}", location=where))
    return out
