"""The virtual packages a platform's solve sees: what the target system provides."""

from __future__ import annotations

from dataclasses import dataclass

from hybrid.platforms import platform_facts
from hybrid.spec.model import System


@dataclass(frozen=True, kw_only=True, slots=True)
class VirtualPackage:
    name: str
    version: str
    build: str = "0"

    def __str__(self) -> str:
        return f"{self.name}={self.version}={self.build}"


def virtual_packages(
    platform: str, system: System, *, cuda: str | None = None, cuda_arch: str | None = None
) -> tuple[VirtualPackage, ...]:
    """Virtual packages for `platform`, with the oldest system versions the spec allows.

    Which ones a platform gets is the platform table's `virtual_packages`; `cuda` is the
    variant's driver floor ("12.4": the oldest driver's CUDA version) and adds `__cuda` only
    where CUDA exists; `cuda_arch` (a compute capability, "8.0") adds CEP 46's `__cuda_arch`
    there too (its build string, the device model on a real machine, is "0").
    """
    facts = platform_facts(platform)
    found = [_virtual(name, facts.machine, system) for name in facts.virtual_packages]
    if cuda is not None and facts.cuda:
        found.append(VirtualPackage(name="__cuda", version=cuda))
        if cuda_arch is not None:
            found.append(VirtualPackage(name="__cuda_arch", version=cuda_arch))
    return tuple(sorted(found, key=lambda v: v.name))


def _virtual(name: str, machine: str, system: System) -> VirtualPackage:
    """Virtual package `name` on a platform of `machine`, at the spec's system floors."""
    if name == "__archspec":
        return VirtualPackage(name=name, version="1", build=machine)
    if name == "__glibc":
        return VirtualPackage(name=name, version=system.glibc_version())
    if name == "__linux":
        return VirtualPackage(name=name, version=system.linux_version())
    if name == "__osx":
        return VirtualPackage(name=name, version=system.macos_version(machine))
    return VirtualPackage(name=name, version="0")  # __unix, __win: present, no version
