"""Conda subdirs in the terms a pip resolver and an environment marker understand."""

from __future__ import annotations

import logging
import platform as _platform
import sys
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from hybrid.errors import UsageError
from hybrid.pypi.model import PipTarget

log = logging.getLogger(__name__)

DEFAULT_GLIBC = "2.28"
"""Oldest glibc assumed when a target names none (uv's own default, made explicit)."""
DEFAULT_MACOS = "13.0"
"""Oldest macOS assumed when a target names none (uv's own default, made explicit)."""

# manylinux levels `uv pip compile --python-platform` accepts (uv 0.13), oldest first.
_MANYLINUX_MINORS = (17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)


@dataclass(frozen=True, kw_only=True, slots=True)
class PlatformFacts:
    """How one conda subdir shows up to uv and in PEP 508 markers."""

    subdir: str
    arch: str  # uv's CPU name
    system: str  # "linux", "macos" or "windows"
    sys_platform: str
    platform_machine: str


PLATFORMS: dict[str, PlatformFacts] = {
    facts.subdir: facts
    for facts in (
        PlatformFacts(subdir="linux-64", arch="x86_64", system="linux",
                      sys_platform="linux", platform_machine="x86_64"),
        PlatformFacts(subdir="linux-aarch64", arch="aarch64", system="linux",
                      sys_platform="linux", platform_machine="aarch64"),
        PlatformFacts(subdir="osx-64", arch="x86_64", system="macos",
                      sys_platform="darwin", platform_machine="x86_64"),
        PlatformFacts(subdir="osx-arm64", arch="aarch64", system="macos",
                      sys_platform="darwin", platform_machine="arm64"),
        PlatformFacts(subdir="win-64", arch="x86_64", system="windows",
                      sys_platform="win32", platform_machine="AMD64"),
    )
}


def facts_for(subdir: str) -> PlatformFacts:
    """The facts of a conda subdir; UsageError for one the pip layer cannot target."""
    try:
        return PLATFORMS[subdir]
    except KeyError:
        known = ", ".join(sorted(PLATFORMS))
        raise UsageError(
            f"the pip layer cannot be compiled for platform {subdir!r}; known: {known}"
        ) from None


def uv_python_platform(target: PipTarget) -> str:
    """The value of uv's ``--python-platform`` for ``target``."""
    facts = facts_for(target.platform)
    if facts.system == "windows":
        return f"{facts.arch}-pc-windows-msvc"
    if facts.system == "macos":
        return f"{facts.arch}-apple-darwin"
    return f"{facts.arch}-manylinux_2_{_manylinux_minor(target.glibc or DEFAULT_GLIBC)}"


def uv_environment(target: PipTarget) -> dict[str, str]:
    """Environment variables uv needs for ``target`` (the macOS deployment target)."""
    if facts_for(target.platform).system != "macos":
        return {}
    macos = target.macos or DEFAULT_MACOS
    _parse(macos, what="macOS version")
    return {"MACOSX_DEPLOYMENT_TARGET": macos}


def python_version(target: PipTarget) -> Version:
    """The target's Python as a Version; UsageError unless it is ``X.Y`` or ``X.Y.Z``."""
    version = _parse(target.python_version, what="Python version")
    if not 2 <= len(version.release) <= 3 or version.local or version.epoch:
        raise UsageError(f"not a Python version: {target.python_version!r}")
    return version


def native_platform() -> str | None:
    """The conda subdir of the running interpreter, or None when it is none of the known ones."""
    machine = _platform.machine()
    machine = {"arm64": "aarch64", "amd64": "x86_64", "AMD64": "x86_64"}.get(machine, machine)
    for facts in PLATFORMS.values():
        if facts.sys_platform == sys.platform and facts.arch == machine:
            return facts.subdir
    return None


def _manylinux_minor(glibc: str) -> int:
    release = _parse(glibc, what="glibc version").release
    if release[0] != 2 or len(release) < 2:
        raise UsageError(f"not a glibc version: {glibc!r} (expected 2.N)")
    if release[1] < _MANYLINUX_MINORS[0]:
        raise UsageError(f"glibc {glibc} is older than manylinux_2_17, the oldest pip targets")
    chosen = max(minor for minor in _MANYLINUX_MINORS if minor <= release[1])
    if chosen != release[1]:
        log.info("glibc %s: compiling for manylinux_2_%d, the newest level not above it",
                 glibc, chosen)
    return chosen


def _parse(text: str, *, what: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise UsageError(f"not a {what}: {text!r}") from None
