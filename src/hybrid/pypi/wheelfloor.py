"""A package with no wheel for the spec's oldest system: uv's failure restated (exit 3).

The pip layer is wheels only (`--only-binary :all:`), so a `system:` floor older than every
wheel of a package needs leaves uv nothing to pin. uv 0.13.9 says "Because numpy>=2.3.0 has
no usable wheels and you require numpy>=2.3, …" with the hint "Wheels are required for
`numpy` because building from source is disabled …". This names the package, the floor,
and — read from the index's file list — the oldest system the newest such wheels need.
"""

from __future__ import annotations

import logging
import re
import textwrap
from collections.abc import Iterable

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from hybrid.errors import BackendError, UnsatisfiableError
from hybrid.platforms import family
from hybrid.pypi.artifacts import ArtifactSelector, target_tags
from hybrid.pypi.explain import restate_stubs
from hybrid.pypi.model import IndexOptions, PipTarget
from hybrid.pypi.platforms import facts_for, target_glibc, target_macos

log = logging.getLogger(__name__)

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_REQUIRED = re.compile(rf"Wheels are required for `(?P<name>{_NAME})`")
_NO_WHEELS = re.compile(rf"(?P<name>{_NAME})(?P<specifier>[<>=!~][^\s]*)? has no usable wheels")
_MANYLINUX = re.compile(r"manylinux_(\d+)_(\d+)_(\w+)")
_LEGACY = {"manylinux2014": (2, 17), "manylinux2010": (2, 12), "manylinux1": (2, 5)}
_MACOS = re.compile(r"macosx_(\d+)_(\d+)_(\w+)")
_MAC_ARCHES = {"arm64": {"arm64", "universal2"},
               "x86_64": {"x86_64", "universal2", "intel", "fat64", "fat3", "universal"}}


def no_wheel(
    text: str, *, target: PipTarget, index: IndexOptions, offline: bool
) -> UnsatisfiableError | None:
    """The error for a resolution that failed for want of a wheel; None for another failure."""
    names = list(dict.fromkeys(canonicalize_name(m["name"]) for m in _REQUIRED.finditer(text)))
    if not names:
        return None
    ranges = {canonicalize_name(m["name"]): m["specifier"] or ""
              for m in _NO_WHEELS.finditer(text)}
    floor, field = system_floor(target)
    lines = []
    for name in names:
        needed = None if offline else _needed(name, ranges.get(name, ""), target, index)
        lines.append(f"    - {name}{ranges.get(name, '')}: " + (
            f"the newest wheels ({name} {needed[0]}) need {needed[1]} or newer" if needed
            else "no wheel of it fits" + (" (offline: the index was not asked which system "
                                          "its wheels need)" if offline else "")))
    listed = ", ".join(f"`{name}`" for name in names)
    said = textwrap.indent(restate_stubs(text).strip(), "    ")
    where = f"{floor}, the spec's oldest system (`{field}`)" if field else floor
    raise_floor = (f"    - raise `{field}` to what those wheels need (the environment then "
                   "needs that system or newer), or\n") if field else ""
    return UnsatisfiableError(
        f"the pip layer for {target.platform} (Python {target.python_version}) is wheels only, "
        f"and no wheel of {listed} runs on {where}:\n"
        + "\n".join(lines) + "\n"
        "  ways out:\n"
        + raise_floor
        + f"    - bound {listed} to older releases that have wheels for {floor}, or\n"
        f"    - let hybrid pin the sdist and build it at install: "
        f"`pip-build: [{', '.join(names)}]`.\n"
        f"  what uv said:\n{said}"
    )


def system_floor(target: PipTarget) -> tuple[str, str | None]:
    """(``glibc 2.17`` or ``macOS 10.15``, the spec field that sets it); (the platform,
    None) where the pip layer has no floor (Windows)."""
    kind = family(target.platform)
    if kind == "linux":
        return f"glibc {target_glibc(target)}", "system: glibc"
    if kind == "osx":
        return f"macOS {target_macos(target)}", "system: macos"
    return target.platform, None


def _needed(
    name: str, specifier: str, target: PipTarget, index: IndexOptions
) -> tuple[Version, str] | None:
    try:
        files = ArtifactSelector(index).project_files(name)
    except BackendError as exc:  # a failure to explain is no reason to hide uv's answer
        log.info("could not read the wheels of %s: %s", name, exc)
        return None
    return oldest_system((f.filename for f in files), target, specifier)


def oldest_system(
    filenames: Iterable[str], target: PipTarget, specifier: str = ""
) -> tuple[Version, str] | None:
    """The newest version in ``specifier`` with wheels for the target's Python and machine,
    and the oldest system those wheels need (``glibc 2.28``, ``macOS 12.0``); None when no
    wheel is for that Python and machine, or the platform has no floor (Windows)."""
    try:
        wanted = SpecifierSet(specifier)
    except InvalidSpecifier:
        wanted = SpecifierSet()
    pythons = {(tag.interpreter, tag.abi) for tag in target_tags(target)}
    floors: dict[Version, tuple[int, int]] = {}
    for filename in filenames:
        try:
            _, version, _, tags = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            continue
        if not wanted.contains(version, prereleases=True):
            continue
        needs = [floor for tag in tags if (floor := _floor(tag, target, pythons)) is not None]
        if needs:
            floors[version] = min([*needs, floors.get(version, needs[0])])
    if not floors:
        return None
    newest = max(floors)
    major, minor = floors[newest]
    what = "glibc" if family(target.platform) == "linux" else "macOS"
    return newest, f"{what} {major}.{minor}"


def _floor(tag: Tag, target: PipTarget, pythons: set[tuple[str, str]]) -> tuple[int, int] | None:
    """The system version a wheel tag needs on ``target``; None when it is not for it."""
    if (tag.interpreter, tag.abi) not in pythons:
        return None
    arch = facts_for(target.platform).tag_arch
    kind = family(target.platform)
    if kind == "linux":
        if match := _MANYLINUX.fullmatch(tag.platform):
            return (int(match[1]), int(match[2])) if match[3] == arch else None
        legacy, _, tag_arch = tag.platform.partition("_")
        return _LEGACY[legacy] if legacy in _LEGACY and tag_arch == arch else None
    if kind == "osx" and (match := _MACOS.fullmatch(tag.platform)):
        return (int(match[1]), int(match[2])) if match[3] in _MAC_ARCHES.get(arch, ()) else None
    return None
