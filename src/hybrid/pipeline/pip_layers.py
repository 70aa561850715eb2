"""The pip layers of a variant, with promotion: compiled per platform against the conda
layer, packages `promote:` moves re-solved into the conda layer, artifacts found. Imported by
`pipeline.run` only for a spec with a pip layer, so a conda-only solve loads none of the pip
layer's modules (resolvers, index readers, HTTP)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from hybrid.conda.model import CondaSolution
from hybrid.conda.solver import CondaSolver, SolverOptions, get_solver, locking_solver
from hybrid.guards.cpu_variant import check_cpu_variant
from hybrid.lock.model import PreviousLock, VariantResult
from hybrid.lock.promotion import Promotion
from hybrid.mapping import CondaPypiMapping
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.promote import moved_notices, settle_layers
from hybrid.pypi.artifacts import ArtifactSelector
from hybrid.pypi.layer import compile_pip_layers, index_options, requirements_index
from hybrid.pypi.model import IndexOptions, PinnedDistribution, PipArtifact, PipLayerResult
from hybrid.pypi.resolver import PipResolver
from hybrid.spec.model import Spec
from hybrid.spec.variants import Variant


@dataclass(frozen=True, kw_only=True, slots=True)
class SettledPip:
    """Pip layers after promotion, with the conda solutions they settled on, the moves, the
    pins' artifacts and the index options requirements.txt names."""

    solutions: tuple[CondaSolution, ...]
    layers: tuple[PipLayerResult, ...]
    promotions: tuple[Promotion, ...]
    artifacts: tuple[PipArtifact, ...]
    index: IndexOptions


class PipLayers:
    """Compiles each variant's pip layers and finds their artifacts: uv's answer names them;
    for pip-tools the artifact selector reads index pages (cached across variants)."""

    def __init__(
        self, spec: Spec, mapping: CondaPypiMapping, resolver: PipResolver, options: SolveOptions
    ) -> None:
        self._spec = spec
        self._mapping = mapping
        self._resolver = resolver
        self._options = options
        self._offline = options.offline
        self._selector = ArtifactSelector(index_options(spec), offline=options.offline)

    def add_to(self, result: VariantResult, previous: PreviousLock) -> VariantResult:
        """The variant's pip layers; packages `promote:` moves go to its conda layers."""
        settled = self.settle(
            self._spec,
            result.solutions,
            variant=result.variant,
            previous=previous,
            solver=get_solver(
                locking_solver(self._options.solver, self._spec.solver),
                SolverOptions(cache_dir=self._options.cache_dir, offline=self._offline),
            ),
        )
        if settled.promotions:  # the conda layers were solved again: judge them again
            check_cpu_variant(result.variant, settled.solutions)
        return replace(
            result,
            solutions=settled.solutions,
            promotions=settled.promotions,
            pip=settled.layers,
            pip_artifacts=settled.artifacts,
            pip_index=settled.index,
        )

    def settle(
        self,
        asked: Spec,
        solutions: Sequence[CondaSolution],
        *,
        variant: Variant,
        previous: PreviousLock,
        solver: CondaSolver,
        installed: Mapping[str, Sequence[PinnedDistribution]] | None = None,
    ) -> SettledPip:
        """`asked`'s pip entries compiled against `solutions` (and the pins `installed` per
        platform: the base's, under a dependency group), what `promote:` moves solved into
        the conda layers with `solver`, and the pins' artifacts and index options."""
        settled = settle_layers(
            asked,
            solutions,
            compile_layers=lambda current, guarded: compile_pip_layers(
                asked,
                current,
                mapping=self._mapping,
                resolver=self._resolver,
                variant=variant,
                exclude_newer=asked.snapshot,
                preferences=previous.pip,
                offline=self._offline,
                installed=installed,
                guards=guarded,
            ),
            solver=solver,
            mapping=self._mapping,
            cache_dir=self._options.cache_dir,
            offline=self._offline,
        )
        layers = settled.layers
        return SettledPip(
            solutions=settled.solutions,
            layers=layers,
            promotions=settled.promotions,
            artifacts=tuple(a for layer in layers for a in self._selector.select(layer)),
            index=requirements_index(index_options(self._spec), layers),
        )

    @staticmethod
    def moved_notices(
        spec: Spec, before: Sequence[CondaSolution], result: VariantResult
    ) -> tuple[str, ...]:
        """What promotion changed of the packages the spec itself lists."""
        return moved_notices(spec, before, result)
