"""`groups:` -> typed `Group` values: names safe in file names, entries parsed as the base's
are, and no group entry naming a package the base (or the group itself) already requests."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hybrid.platforms import PIP_PLATFORMS, has_pip_layer
from hybrid.spec.loader import LoadedDocument
from hybrid.spec.location import Location, printable
from hybrid.spec.model import CondaDependency, Group, PipDependency

Problem = tuple[Location, str]

#: A group name is part of file names (requirements-<group>.txt, conda-<platform>.<group>.lock)
#: and a conda-lock category: lower case letters, digits, `-` and `_`, starting with a letter.
GROUP_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
#: conda-lock's category of the base packages; a group of that name would merge into it.
RESERVED_NAMES = frozenset({"main", "base"})


@dataclass(frozen=True, kw_only=True, slots=True)
class GroupParsers:
    """The base entries' parsers, applied at a group's field path (`groups.dev.conda`)."""

    conda: Callable[[list[Any], tuple[str, ...]], list[CondaDependency]]
    pip: Callable[[list[str], tuple[str, ...]], list[PipDependency]]


def spec_groups(
    doc: LoadedDocument,
    data: dict[str, Any],
    base: tuple[Sequence[CondaDependency], Sequence[PipDependency]],
    problems: list[Problem],
    parsers: GroupParsers,
) -> tuple[Group, ...]:
    """Every `groups:` entry in spec order; problems are appended, located."""
    raw: dict[str, Any] = data.get("groups") or {}
    platforms = tuple(data.get("platforms", ()))
    groups = []
    for name, body in raw.items():
        key = str(name)
        where = doc.locate(["groups", key], key=True)
        if not _name_ok(key, where, problems):
            continue
        conda = parsers.conda(list(body.get("conda", [])), ("groups", key, "conda"))
        pip = parsers.pip(list(body.get("pip", [])), ("groups", key, "pip"))
        if not body.get("conda") and not body.get("pip"):
            problems.append(
                (where, f"groups.{key}: the group has no `conda:` or `pip:` entries")
            )
        _check_against_base(conda, base[0], "conda", problems)
        _check_against_base(pip, base[1], "pip", problems)
        _check_python(conda, "python" in data, problems)
        if pip and platforms:
            problems.extend(
                pip_platform_problems(doc, platforms, layer=f" of group `{key}`", remedy="")
            )
        groups.append(Group(name=key, conda=tuple(conda), pip=tuple(pip), location=where))
    return tuple(groups)


def _name_ok(name: str, where: Location, problems: list[Problem]) -> bool:
    if not GROUP_NAME.match(name):
        problems.append(
            (
                where,
                f"groups: `{printable(name)}` is not a usable group name: it becomes part of "
                "file names (requirements-<group>.txt); use lower-case letters, digits, `-` "
                "and `_`, starting with a letter, at most 40 characters",
            )
        )
        return False
    if name in RESERVED_NAMES:
        problems.append(
            (
                where,
                f"groups: `{name}` is reserved for the base environment (conda-lock's "
                "`main` category); name the group otherwise",
            )
        )
        return False
    return True


def _check_against_base(
    entries: Sequence[CondaDependency | PipDependency],
    base: Sequence[CondaDependency | PipDependency],
    section: str,
    problems: list[Problem],
) -> None:
    """A group adds packages; one the base already requests would move nothing or conflict."""
    requested = {dep.name: dep for dep in base}
    for dep in entries:
        twin = requested.get(dep.name)
        if twin is None:
            continue
        problems.append(
            (
                dep.location,
                f"{dep.field}: `{dep.name}` is already requested by the base at {twin.field} "
                f"(line {twin.location.line}); a group adds packages on top of the base, "
                f"which it cannot change: remove it from the group, or change the base's "
                f"`{section}:` entry",
            )
        )


def _check_python(
    conda: Sequence[CondaDependency], has_python: bool, problems: list[Problem]
) -> None:
    for dep in conda:
        if dep.name == "python" and has_python:
            problems.append(
                (
                    dep.location,
                    f"{dep.field}: `python` is set by the base's `python:` key; a group "
                    "cannot change it",
                )
            )


def pip_platform_problems(
    doc: LoadedDocument, platforms: Sequence[str], *, layer: str, remedy: str
) -> list[Problem]:
    """Each of `platforms` no pip layer can be compiled for, located; `layer` says whose pip
    layer (the base's, a group's), `remedy` ends the message (`{platform}` is filled in)."""
    return [
        (
            doc.locate(["platforms", index]),
            f"platforms[{index}]: {platform} cannot carry the pip layer{layer}: uv compiles "
            f"pip layers for {', '.join(PIP_PLATFORMS)} only{remedy.format(platform=platform)}",
        )
        for index, platform in enumerate(platforms)
        if not has_pip_layer(platform)
    ]
