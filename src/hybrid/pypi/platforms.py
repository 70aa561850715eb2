"""Conda subdirs in the terms a pip resolver and an environment marker understand.

The facts come from the platform table (`hybrid.platforms`): a target without its own glibc
or macOS gets the table's floor, the same one the conda solve's virtual packages use.
"""

from __future__ import annotations

import logging
import platform as _platform
import sys

from packaging.version import InvalidVersion, Version

from hybrid.errors import UsageError
from hybrid.platforms import (
    FACTS,
    PIP_PLATFORMS,
    WheelTarget,
    default_glibc,
    default_macos,
    family,
    machine,
    marker_values,
)
from hybrid.pypi.model import PipTarget

log = logging.getLogger(__name__)

# manylinux levels `uv pip compile --python-platform` accepts (uv 0.13), oldest first.
_MANYLINUX_MINORS = (17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
_UV_SYSTEMS = {"osx": "apple-darwin", "win": "pc-windows-msvc"}


def facts_for(subdir: str) -> WheelTarget:
    """The wheel facts of a conda subdir; UsageError for one the pip layer cannot target."""
    wheels = FACTS[subdir].wheels if subdir in FACTS else None
    if wheels is None:
        raise UsageError(
            f"the pip layer cannot be compiled for platform {subdir!r}; "
            f"known: {', '.join(PIP_PLATFORMS)}"
        )
    return wheels


def uv_python_platform(target: PipTarget) -> str:
    """The value of uv's ``--python-platform`` for ``target``."""
    arch = facts_for(target.platform).uv_arch
    kind = family(target.platform)
    if kind != "linux":
        return f"{arch}-{_UV_SYSTEMS[kind]}"
    return f"{arch}-manylinux_2_{_manylinux_minor(target_glibc(target))}"


def target_macos(target: PipTarget) -> str:
    """The oldest macOS ``target`` runs on: its own, else the platform table's floor."""
    return target.macos or default_macos(machine(target.platform))


def target_glibc(target: PipTarget) -> str:
    """The oldest glibc ``target`` runs on: its own, else the platform table's floor."""
    return target.glibc or default_glibc(target.platform)


def uv_environment(target: PipTarget) -> dict[str, str]:
    """Environment variables uv needs for ``target`` (the macOS deployment target)."""
    facts_for(target.platform)  # UsageError where no pip layer can be compiled
    if family(target.platform) != "osx":
        return {}
    macos = target_macos(target)
    _parse(macos, what="macOS version")
    return {"MACOSX_DEPLOYMENT_TARGET": macos}


def marker_environment(target: PipTarget) -> dict[str, str]:
    """The PEP 508 marker environment of CPython on the target (what pip evaluates there);
    `platform_release` and `platform_version` are unknowable ahead of time and left empty."""
    version = python_version(target)
    return {
        **marker_values(target.platform),
        "implementation_name": "cpython",
        "implementation_version": str(version),
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_version": "",
        "python_full_version": str(version),
        "python_version": f"{version.major}.{version.minor}",
    }


def python_version(target: PipTarget) -> Version:
    """The target's Python as a Version; UsageError unless it is ``X.Y`` or ``X.Y.Z``."""
    version = _parse(target.python_version, what="Python version")
    if not 2 <= len(version.release) <= 3 or version.local or version.epoch:
        raise UsageError(f"not a Python version: {target.python_version!r}")
    return version


def native_platform() -> str | None:
    """The conda subdir of the running interpreter, or None when it is none of the known ones."""
    running = _platform.machine()
    running = {"arm64": "aarch64", "amd64": "x86_64", "AMD64": "x86_64"}.get(running, running)
    for subdir in PIP_PLATFORMS:
        facts = facts_for(subdir)
        if facts.sys_platform == sys.platform and facts.uv_arch == running:
            return subdir
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
