"""Variants: one output set per entry of `cuda:` (or a single unnamed one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hybrid.spec.model import Spec


@dataclass(frozen=True, kw_only=True, slots=True)
class Variant:
    """`cuda` is None (no `cuda:` key), "cpu", or a CUDA version such as "12.6"."""

    cuda: str | None

    @property
    def name(self) -> str:
        if self.cuda is None:
            return "default"
        return "cpu" if self.cuda == "cpu" else f"cuda-{self.cuda}"

    @property
    def cuda_version(self) -> str | None:
        return None if self.cuda in (None, "cpu") else self.cuda


def spec_variants(spec: Spec) -> tuple[Variant, ...]:
    if not spec.cuda:
        return (Variant(cuda=None),)
    return tuple(Variant(cuda=c) for c in spec.cuda)
