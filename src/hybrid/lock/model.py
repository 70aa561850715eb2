"""The typed result of a solve: per variant and platform, the conda records, the specs hybrid
added to the conda layer, and the pip pins with their artifacts and index options. Writers
(`emit/`) read only this; nothing in it needs recomputing from the spec."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hybrid.conda.compare import SolverComparison
from hybrid.conda.model import CondaPackage, CondaSolution, LockedRef
from hybrid.lock.promotion import Promotion
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
    #: per dependency group, what it added (its conda-lock category)
    groups: Mapping[str, PreviousLock] = field(default_factory=dict)


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
class GroupResult:
    """One dependency group of one variant: per platform the conda layer of base and group
    together (every base record kept exactly), and the pip pins the group adds to the base's
    (compiled with the base's pins and both conda layers as installed)."""

    name: str
    solutions: tuple[CondaSolution, ...]
    pip: tuple[PipLayerResult, ...] = ()
    pip_artifacts: tuple[PipArtifact, ...] = ()
    pip_index: IndexOptions = field(default_factory=IndexOptions)
    #: the group's pip-layer packages moved to its conda layer (`promote:`, the base locked)
    promotions: tuple[Promotion, ...] = ()

    def added_conda(self, base: CondaSolution) -> tuple[CondaPackage, ...]:
        """The packages of this group's solution for `base`'s platform that the base lacks."""
        mine = next(s for s in self.solutions if s.platform == base.platform)
        kept = {p.url for p in base.packages}
        return tuple(p for p in mine.packages if p.url not in kept)


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
    #: pip-layer packages moved to the conda layer (`promote:`); their specs are among the
    #: solutions' added specs
    promotions: tuple[Promotion, ...] = ()
    groups: tuple[GroupResult, ...] = ()

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
