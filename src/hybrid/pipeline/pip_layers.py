"""The pip layers of a variant, with promotion: compiled per platform against the conda
layer, packages `promote:` moves re-solved into the conda layer, artifacts found. Imported by
`pipeline.run` only for a spec with a pip layer, so a conda-only solve loads none of the pip
layer's modules (resolvers, index readers, HTTP)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hybrid.conda.model import CondaSolution
from hybrid.conda.solver import SolverOptions, get_solver, locking_solver
from hybrid.guards.cpu_variant import check_cpu_variant
from hybrid.lock.model import PreviousLock, VariantResult
from hybrid.mapping import CondaPypiMapping
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.promote import moved_notices, settle_layers
from hybrid.pypi.artifacts import ArtifactSelector
from hybrid.pypi.layer import compile_pip_layers, index_options, requirements_index
from hybrid.pypi.resolver import PipResolver
from hybrid.spec.model import Spec


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
        settled = settle_layers(
            self._spec,
            result.solutions,
            compile_layers=lambda solutions, guarded: compile_pip_layers(
                self._spec,
                solutions,
                mapping=self._mapping,
                resolver=self._resolver,
                variant=result.variant,
                exclude_newer=self._spec.snapshot,
                preferences=previous.pip,
                offline=self._offline,
                guards=guarded,
            ),
            solver=get_solver(
                locking_solver(self._options.solver, self._spec.solver),
                SolverOptions(cache_dir=self._options.cache_dir, offline=self._offline),
            ),
            mapping=self._mapping,
            cache_dir=self._options.cache_dir,
            offline=self._offline,
        )
        layers = settled.layers
        if settled.promotions:  # the conda layers were solved again: judge them again
            check_cpu_variant(result.variant, settled.solutions)
        return replace(
            result,
            solutions=settled.solutions,
            promotions=settled.promotions,
            pip=layers,
            pip_artifacts=tuple(a for layer in layers for a in self._selector.select(layer)),
            pip_index=requirements_index(index_options(self._spec), layers),
        )

    @staticmethod
    def moved_notices(
        spec: Spec, before: Sequence[CondaSolution], result: VariantResult
    ) -> tuple[str, ...]:
        """What promotion changed of the packages the spec itself lists."""
        return moved_notices(spec, before, result)
