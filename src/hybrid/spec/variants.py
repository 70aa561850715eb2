"""Variants: one output set per entry of `cuda:` (or a single unnamed one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hybrid.spec.model import Spec


@dataclass(frozen=True, kw_only=True, slots=True)
class Variant:
    """`cuda` is None (no `cuda:` key), "cpu", or a CUDA version such as "12.6"; `driver` and
    `arch` are the entry's floors (`__cuda`, `__cuda_arch`), which do not change the name."""

    cuda: str | None
    driver: str | None = None
    arch: str | None = None

    @property
    def name(self) -> str:
        if self.cuda is None:
            return "default"
        return "cpu" if self.cuda == "cpu" else f"cuda-{self.cuda}"

    @property
    def cuda_version(self) -> str | None:
        return None if self.cuda in (None, "cpu") else self.cuda

    @property
    def driver_floor(self) -> str | None:
        """The `__cuda` version the solve sees: the driver floor, else the CUDA version."""
        version = self.cuda_version
        return None if version is None else self.driver or version


def spec_variants(spec: Spec) -> tuple[Variant, ...]:
    if not spec.cuda:
        return (Variant(cuda=None),)
    return tuple(Variant(cuda=c.version, driver=c.driver, arch=c.arch) for c in spec.cuda)
