"""The virtual packages a platform's solve sees: what the target system provides."""

from __future__ import annotations

from dataclasses import dataclass

from hybrid.platforms import CUDA_PLATFORMS, family, machine
from hybrid.spec.model import System


@dataclass(frozen=True, kw_only=True, slots=True)
class VirtualPackage:
    name: str
    version: str
    build: str = "0"

    def __str__(self) -> str:
        return f"{self.name}={self.version}={self.build}"


def virtual_packages(
    platform: str, system: System, *, cuda: str | None = None
) -> tuple[VirtualPackage, ...]:
    """Virtual packages for `platform`, with the oldest system versions the spec allows.

    `cuda` is a CUDA version ("12.6") for a CUDA variant; it only applies where CUDA exists.
    """
    kind = family(platform)
    arch = machine(platform)
    found: list[VirtualPackage] = [VirtualPackage(name="__archspec", version="1", build=arch)]
    if kind in ("linux", "osx"):
        found.append(VirtualPackage(name="__unix", version="0"))
    if kind == "linux":
        found.append(VirtualPackage(name="__linux", version=system.linux_version()))
        found.append(VirtualPackage(name="__glibc", version=system.glibc_version()))
    elif kind == "osx":
        found.append(VirtualPackage(name="__osx", version=system.macos_version(arch)))
    elif kind == "win":
        found.append(VirtualPackage(name="__win", version="0"))
    if cuda is not None and platform in CUDA_PLATFORMS:
        found.append(VirtualPackage(name="__cuda", version=cuda))
    return tuple(sorted(found, key=lambda v: v.name))
