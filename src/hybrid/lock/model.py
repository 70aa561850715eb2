"""The typed result of a solve: per variant and platform, the conda records, the specs hybrid
added to the conda layer, and the pip pins with their artifacts and index options. Writers
(`emit/`) read only this; nothing in it needs recomputing from the spec."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hybrid.conda.compare import SolverComparison
from hybrid.conda.model import CondaSolution, LockedRef
from hybrid.pypi.model import IndexOptions, PinnedDistribution, PipArtifact, PipLayerResult
from hybrid.spec.channels import ChannelRef
from hybrid.spec.fingerprint import HashKind
from hybrid.spec.model import Spec
from hybrid.spec.variants import Variant


@dataclass(frozen=True, kw_only=True, slots=True)
class PreviousLock:
    """What an earlier lock of one variant asks `hybrid update` to keep, per platform: conda
    packages (solver preferences) and pip pins to prefer."""

    conda: Mapping[str, tuple[LockedRef, ...]] = field(default_factory=dict)
    pip: Mapping[str, tuple[PinnedDistribution, ...]] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Verification:
    """What the lock verifier checked on one platform before the lock was written: every
    conda record's dependencies, and every pip pin's requirements over both layers, except
    `unchecked` pins (an sdist, a version-control reference, or no metadata offline)."""

    platform: str
    conda_records: int
    pip_pins: int = 0
    unchecked: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "platform": self.platform,
            "conda_records": self.conda_records,
            "pip_pins": self.pip_pins,
            "pip_unchecked": list(self.unchecked),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class VariantResult:
    """One variant's lock, a solution per platform (each carrying its request: the specs
    solved and those hybrid added to the spec's own). `pip_index` is where requirements.txt
    tells pip to look: the spec's indexes plus any index a pin came from that they do not
    name (the PyTorch index of a CUDA variant)."""

    variant: Variant
    solutions: tuple[CondaSolution, ...]
    pip: tuple[PipLayerResult, ...] = ()
    pip_artifacts: tuple[PipArtifact, ...] = ()
    pip_index: IndexOptions = field(default_factory=IndexOptions)
    verified: tuple[Verification, ...] = ()

    @property
    def channels(self) -> tuple[ChannelRef, ...]:
        """The channels every platform of the variant was solved from, in priority order."""
        return tuple(self.solutions[0].request.channels)


@dataclass(frozen=True, kw_only=True, slots=True)
class LockResult:
    """The whole lock of a spec. `input_hash` and `input_parts` (a short digest per input
    part, for `hybrid check` to name what changed) cover the spec and `hash_kind`."""

    spec: Spec
    input_hash: str
    input_parts: Mapping[str, str]
    hash_kind: HashKind
    variants: tuple[VariantResult, ...]
    notices: tuple[str, ...] = ()
    #: `--solver both`: per variant x platform, rattler's and libmamba's answers compared
    comparisons: tuple[SolverComparison, ...] = ()
