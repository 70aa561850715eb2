"""The conda platforms hybrid solves for, and facts about each."""

from __future__ import annotations

from typing import Final

PLATFORMS: Final = ("linux-64", "linux-aarch64", "linux-ppc64le", "osx-64", "osx-arm64", "win-64")
DEFAULT_PLATFORMS: Final = ("linux-64", "osx-64", "osx-arm64", "win-64")
CUDA_PLATFORMS: Final = frozenset({"linux-64", "linux-aarch64", "win-64"})

# conda-lock style selectors for environment.yml comments, e.g. `pywin32  # [win64]`.
SELECTORS: Final = {
    "linux-64": "linux64",
    "linux-aarch64": "aarch64",
    "linux-ppc64le": "ppc64le",
    "osx-64": "osx64",
    "osx-arm64": "arm64",
    "win-64": "win64",
}


def family(platform: str) -> str:
    """`linux`, `osx` or `win`."""
    return platform.split("-", 1)[0]


def machine(platform: str) -> str:
    """The archspec-style machine: x86_64, aarch64, ppc64le or arm64."""
    arch = platform.split("-", 1)[1]
    return {"64": "x86_64", "aarch64": "aarch64", "ppc64le": "ppc64le", "arm64": "arm64"}[arch]
