"""The conda platforms hybrid solves for, and every fact about each, in one table.

Each row of `TABLE` is a `Platform`: its family and machine, the virtual packages its conda
solve sees, the oldest systems assumed when a spec's `system:` names none, whether CUDA
exists there, how the pip layer targets it (`WheelTarget`, None when it cannot) and its
conda-lock selector. Every other module reads these facts here; the names below the table
(`PLATFORMS`, `CUDA_PLATFORMS`, `PIP_PLATFORMS`, `SELECTORS`, …) are views of it.

The default macOS floors are osx-64 11.0 and osx-arm64 13.0: before this table they were
what the solve's `__osx` and the pip layer's `MACOSX_DEPLOYMENT_TARGET` (and its macosx wheel
tags) both received through `System.macos_version`, and what the schema documents. A second
default, 13.0 for every Mac, applied only to a pip target built without a macOS version,
which the pipeline never builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

Family = Literal["linux", "osx", "win"]

DEFAULT_GLIBC: Final = "2.28"
"""Oldest glibc assumed on every Linux platform when a spec names none."""
DEFAULT_LINUX: Final = "5.10"
"""Oldest Linux kernel assumed on every Linux platform when a spec names none."""

_LINUX_VIRTUAL = ("__archspec", "__glibc", "__linux", "__unix")
_OSX_VIRTUAL = ("__archspec", "__osx", "__unix")
_WIN_VIRTUAL = ("__archspec", "__win")


@dataclass(frozen=True, kw_only=True, slots=True)
class WheelTarget:
    """How a platform shows up to uv, in wheel tags and in PEP 508 markers.

    uv 0.13 names the platform `<uv_arch>-manylinux_2_<N>` (N from the glibc floor),
    `<uv_arch>-apple-darwin` or `<uv_arch>-pc-windows-msvc` in `--python-platform`.
    Wheel platform tags end in `tag_arch`: `manylinux_2_28_x86_64`, `macosx_13_0_arm64`,
    `win_amd64`.
    """

    uv_arch: str
    tag_arch: str
    sys_platform: str
    platform_machine: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Platform:
    """One conda platform (subdir) and what hybrid knows about it.

    `machine` is the archspec machine conda reports (`__archspec`'s build) and writes as a
    package's `arch`. `glibc`, `linux` and `macos` are the oldest systems assumed when the
    spec's `system:` names none; None where the system does not apply. `wheels` is None
    where no pip layer can be compiled. `default` platforms are solved when a spec names none.
    """

    subdir: str
    family: Family
    machine: str
    label: str
    selector: str
    default: bool
    cuda: bool
    virtual_packages: tuple[str, ...]
    glibc: str | None = None
    linux: str | None = None
    macos: str | None = None
    wheels: WheelTarget | None = None


TABLE: Final[tuple[Platform, ...]] = (
    Platform(
        subdir="linux-64", family="linux", machine="x86_64", label="Linux (x86-64)",
        selector="linux64", default=True, cuda=True, virtual_packages=_LINUX_VIRTUAL,
        glibc=DEFAULT_GLIBC, linux=DEFAULT_LINUX,
        wheels=WheelTarget(uv_arch="x86_64", tag_arch="x86_64", sys_platform="linux",
                           platform_machine="x86_64"),
    ),
    Platform(
        subdir="linux-aarch64", family="linux", machine="aarch64", label="Linux (ARM64)",
        selector="aarch64", default=False, cuda=True, virtual_packages=_LINUX_VIRTUAL,
        glibc=DEFAULT_GLIBC, linux=DEFAULT_LINUX,
        wheels=WheelTarget(uv_arch="aarch64", tag_arch="aarch64", sys_platform="linux",
                           platform_machine="aarch64"),
    ),
    # uv 0.13's --python-platform has no ppc64le value: no pip layer here.
    Platform(
        subdir="linux-ppc64le", family="linux", machine="ppc64le", label="Linux (POWER)",
        selector="ppc64le", default=False, cuda=False, virtual_packages=_LINUX_VIRTUAL,
        glibc=DEFAULT_GLIBC, linux=DEFAULT_LINUX,
    ),
    Platform(
        subdir="osx-64", family="osx", machine="x86_64", label="macOS (Intel)",
        selector="osx64", default=True, cuda=False, virtual_packages=_OSX_VIRTUAL,
        macos="11.0",
        wheels=WheelTarget(uv_arch="x86_64", tag_arch="x86_64", sys_platform="darwin",
                           platform_machine="x86_64"),
    ),
    Platform(
        subdir="osx-arm64", family="osx", machine="arm64", label="macOS (Apple silicon)",
        selector="arm64", default=True, cuda=False, virtual_packages=_OSX_VIRTUAL,
        macos="13.0",
        wheels=WheelTarget(uv_arch="aarch64", tag_arch="arm64", sys_platform="darwin",
                           platform_machine="arm64"),
    ),
    Platform(
        subdir="win-64", family="win", machine="x86_64", label="Windows (x86-64)",
        selector="win64", default=True, cuda=True, virtual_packages=_WIN_VIRTUAL,
        wheels=WheelTarget(uv_arch="x86_64", tag_arch="amd64", sys_platform="win32",
                           platform_machine="AMD64"),
    ),
)  # fmt: skip

FACTS: Final[Mapping[str, Platform]] = MappingProxyType({p.subdir: p for p in TABLE})

PLATFORMS: Final = tuple(p.subdir for p in TABLE)
DEFAULT_PLATFORMS: Final = tuple(p.subdir for p in TABLE if p.default)
CUDA_PLATFORMS: Final = frozenset(p.subdir for p in TABLE if p.cuda)
PIP_PLATFORMS: Final = tuple(p.subdir for p in TABLE if p.wheels is not None)
"""The platforms a pip layer can be compiled for."""
SELECTORS: Final[Mapping[str, str]] = MappingProxyType({p.subdir: p.selector for p in TABLE})
"""conda-lock style selectors for environment.yml comments, e.g. `pywin32  # [win64]`."""


def platform_facts(subdir: str) -> Platform:
    """The row of `subdir`; ValueError naming the known platforms for any other."""
    try:
        return FACTS[subdir]
    except KeyError:
        raise ValueError(
            f"unknown conda platform {subdir!r}; known: {', '.join(PLATFORMS)}"
        ) from None


def family(subdir: str) -> Family:
    """`linux`, `osx` or `win`."""
    return platform_facts(subdir).family


def machine(subdir: str) -> str:
    """The archspec-style machine: x86_64, aarch64, ppc64le or arm64."""
    return platform_facts(subdir).machine


def has_pip_layer(subdir: str) -> bool:
    """Whether a pip layer can be compiled for `subdir` (uv has wheel tags for it)."""
    return platform_facts(subdir).wheels is not None


# PEP 508 values of each family: sys_platform, platform_system, os_name (CPython's).
_FAMILY_MARKERS: Final[Mapping[Family, tuple[str, str, str]]] = MappingProxyType({
    "linux": ("linux", "Linux", "posix"),
    "osx": ("darwin", "Darwin", "posix"),
    "win": ("win32", "Windows", "nt"),
})


def marker_values(subdir: str) -> dict[str, str]:
    """The PEP 508 marker values `subdir` fixes whatever its Python: `sys_platform`,
    `platform_system`, `os_name` and `platform_machine` (the wheel target's where a pip
    layer exists, else the conda machine)."""
    row = platform_facts(subdir)
    sys_platform, system, os_name = _FAMILY_MARKERS[row.family]
    return {
        "sys_platform": sys_platform,
        "platform_system": system,
        "os_name": os_name,
        "platform_machine": row.wheels.platform_machine if row.wheels else row.machine,
    }


def default_glibc(subdir: str) -> str:
    """The glibc floor of a Linux platform; ValueError for any other."""
    floor = platform_facts(subdir).glibc
    if floor is None:
        raise ValueError(f"{subdir} has no glibc")
    return floor


def default_macos(machine: str) -> str:
    """The macOS floor of the osx platform whose machine is `machine` (x86_64, arm64)."""
    for row in TABLE:
        if row.family == "osx" and row.machine == machine and row.macos is not None:
            return row.macos
    raise ValueError(f"no macOS platform has machine {machine!r}")
