"""The typed result of a solve: per variant and platform, the conda records and the pip pins
with their artifacts. Writers (`emit/`) read only this."""

from __future__ import annotations

from dataclasses import dataclass

from hybrid.conda.model import CondaSolution
from hybrid.pypi.model import PipArtifact, PipLayerResult
from hybrid.spec.model import Spec
from hybrid.spec.variants import Variant


@dataclass(frozen=True, kw_only=True, slots=True)
class VariantResult:
    variant: Variant
    solutions: tuple[CondaSolution, ...]
    pip: tuple[PipLayerResult, ...] = ()
    pip_artifacts: tuple[PipArtifact, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class LockResult:
    spec: Spec
    input_hash: str
    variants: tuple[VariantResult, ...]
    notices: tuple[str, ...] = ()
