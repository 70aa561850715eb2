"""One move of a package from the pip layer to the conda layer (`promote:`), as a lock
records it: which PyPI distribution, the conda spec added for it, why, and where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from hybrid.spec.matchspec import CondaMatchSpec

#: `abi`: a compiled wheel coupled to a conda package's ABI (PyPI torchvision next to conda
#: pytorch); `cuda`: an NVIDIA CUDA wheel (or a package needing one) next to conda's CUDA
#: libraries; `listed`: named in the spec's `promote:` list.
PromotionReason = Literal["abi", "cuda", "listed"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Promotion:
    """`pypi_name` left the pip layer on `platforms`; `conda_spec` was added to the conda
    layer instead. `coupled_to` is the conda package that made the move necessary (conda's
    `pytorch` for torchvision, its CUDA runtime for an NVIDIA wheel); None for `listed`."""

    pypi_name: str
    conda_spec: CondaMatchSpec
    reason: PromotionReason
    coupled_to: str | None
    platforms: tuple[str, ...]

    def because(self) -> str:
        """Why, in words: `ABI-coupled to conda's pytorch`."""
        if self.reason == "abi":
            return f"its PyPI build is ABI-coupled to conda's {self.coupled_to}"
        if self.reason == "cuda":
            return f"NVIDIA's CUDA wheel, a second runtime beside conda's ({self.coupled_to})"
        return "listed in `promote:`"

    def __str__(self) -> str:
        return (
            f"{self.pypi_name} -> conda `{self.conda_spec}` ({self.because()}; "
            f"{', '.join(self.platforms)})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "pypi_name": self.pypi_name,
            "conda_spec": str(self.conda_spec),
            "reason": self.reason,
            "coupled_to": self.coupled_to,
            "platforms": list(self.platforms),
        }
