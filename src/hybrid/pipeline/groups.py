"""Dependency groups on top of a solved base: per variant, each group's conda layer (the
base's records locked, `group_conda`) and the pip pins it adds, compiled with the base's pins
and both conda layers presented as installed, so nothing of the base moves. The base's
`VariantResult` is untouched apart from its `groups`: its outputs are the same bytes as
without groups (only the headers naming the inputs differ)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from hybrid.conda.solver import SolverOptions, get_solver, locking_solver
from hybrid.errors import GroupConflictError, UnsatisfiableError
from hybrid.guards.overlap import check_groups_no_overlap
from hybrid.lock.model import GroupResult, PreviousLock, VariantResult
from hybrid.mapping import CondaPypiMapping, mapping_for_channels, provided_distributions
from hybrid.pipeline.group_conda import solve_group
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.verify import verify_variant
from hybrid.pypi.artifacts import ArtifactSelector
from hybrid.pypi.layer import compile_pip_layers, index_options, requirements_index
from hybrid.pypi.model import PipLayerResult
from hybrid.pypi.resolver import get_resolver
from hybrid.spec.model import Group, Spec


def add_groups(
    spec: Spec,
    options: SolveOptions,
    results: Sequence[VariantResult],
    mapping: CondaPypiMapping | None,
    kept: Mapping[str, PreviousLock] | None = None,
) -> tuple[VariantResult, ...]:
    """`results` with each variant's `groups` filled in, in spec order; `kept` (per variant
    name) holds what an earlier lock's groups added, kept where possible (`hybrid update`)."""
    if not spec.groups:
        return tuple(results)
    solver = get_solver(
        locking_solver(options.solver, spec.solver),
        SolverOptions(cache_dir=options.cache_dir, offline=options.offline),
    )
    if mapping is None and any(g.pip for g in spec.groups):
        mapping = mapping_for_channels(
            spec.channels,
            override=options.pypi_mapping,
            offline=options.offline,
            cache_dir=options.cache_dir,
        )
    if mapping is not None:
        check_groups_no_overlap(spec, mapping)
    pip = _GroupPip(spec, options, mapping) if mapping is not None else None
    out = []
    for result in results:
        groups = []
        earlier = (kept or {}).get(result.variant.name, PreviousLock()).groups
        for group in spec.groups:
            previous = earlier.get(group.name, PreviousLock())
            found = GroupResult(
                name=group.name,
                solutions=solve_group(solver, spec, group, result.solutions, previous.conda),
            )
            if pip is not None:
                found = pip.add_to(group, result, found, previous)
            _verify(spec, options, result, found, group)
            groups.append(found)
        _check_groups_agree(result, groups)
        out.append(replace(result, groups=tuple(groups)))
    return tuple(out)


def _check_groups_agree(base: VariantResult, groups: Sequence[GroupResult]) -> None:
    """Two groups adding one package at different versions cannot share conda-lock.yml (its
    readers merge entries by name and platform, so one group would install the other's)."""
    seen: dict[tuple[str, str, str], tuple[str, str]] = {}
    for group in groups:
        added = [
            (("conda", s.platform, p.name), p.url)
            for s in base.solutions
            for p in group.added_conda(s)
        ]
        added += [(("pip", a.platform, a.name), a.url) for a in group.pip_artifacts]
        for key, url in added:
            first = seen.setdefault(key, (group.name, url))
            if first[1] != url:
                layer, platform, name = key
                raise GroupConflictError(
                    f"groups `{first[0]}` and `{group.name}` add different {layer} builds of "
                    f"{name} on {platform} ({first[1].rsplit('/', 1)[-1]} and "
                    f"{url.rsplit('/', 1)[-1]}); conda-lock.yml holds one per platform",
                    hint=f"give {name} the same version in both groups, or move it into the "
                    "base",
                )


class _GroupPip:
    """Compiles a group's pip entries on top of the base's pip layer."""

    def __init__(self, spec: Spec, options: SolveOptions, mapping: CondaPypiMapping) -> None:
        self._spec = spec
        self._options = options
        self._mapping = mapping
        self._resolver = get_resolver(options.pip_resolver)
        self._selector = ArtifactSelector(index_options(spec), offline=options.offline)

    def add_to(
        self, group: Group, base: VariantResult, found: GroupResult, previous: PreviousLock
    ) -> GroupResult:
        self._check_conda_beside_base_pip(group, base, found)
        if not group.pip:
            return found
        installed = {layer.target.platform: layer.pins for layer in base.pip}
        try:
            layers = compile_pip_layers(
                self._spec,
                found.solutions,
                mapping=self._mapping,
                resolver=self._resolver,
                variant=base.variant,
                exclude_newer=self._spec.snapshot,
                offline=self._options.offline,
                preferences=previous.pip,
                requirements=[dep.requirement for dep in group.pip],
                installed=installed,
            )
        except UnsatisfiableError as exc:
            raise GroupConflictError(
                f"group `{group.name}`: {exc.message}\n(the group's pip entries are compiled "
                "with every base package kept as the base's lock pins it)",
                hint=exc.hint,
            ) from None
        return replace(
            found,
            pip=layers,
            pip_artifacts=tuple(a for layer in layers for a in self._selector.select(layer)),
            pip_index=requirements_index(index_options(self._spec), layers),
        )

    def _check_conda_beside_base_pip(
        self, group: Group, base: VariantResult, found: GroupResult
    ) -> None:
        """A conda package the group adds must not install a distribution the base's pip
        layer pins: pip would replace conda's files (conda first, pip last)."""
        pinned = {layer.target.platform: {p.name for p in layer.pins} for layer in base.pip}
        for solution in base.solutions:
            added = found.added_conda(solution)
            provided = provided_distributions(added, self._mapping)
            clash = sorted(str(n) for n in provided if n in pinned.get(solution.platform, ()))
            if clash:
                raise GroupConflictError(
                    f"group `{group.name}` on {solution.platform}: its conda packages install "
                    f"{', '.join(clash)}, which the base's pip layer pins; the pip layer "
                    "would replace them",
                    hint=f"move {', '.join(clash)} into the base's `conda:` entries",
                )


def _verify(
    spec: Spec,
    options: SolveOptions,
    base: VariantResult,
    group: GroupResult,
    group_spec: Group | None = None,
) -> None:
    """Base and group together meet every dependency, on every platform (`lock/verify`)."""
    layers = {layer.target.platform: layer for layer in group.pip}
    merged: list[PipLayerResult] = []
    for layer in base.pip:
        extra = layers.pop(layer.target.platform, None)
        if extra is None:
            merged.append(layer)
            continue
        pins = tuple(sorted((*layer.pins, *extra.pins), key=lambda p: p.name))
        merged.append(replace(extra, pins=pins))
    merged.extend(layers.values())
    combined = VariantResult(
        variant=base.variant,
        solutions=group.solutions,
        pip=tuple(merged),
        pip_artifacts=(*base.pip_artifacts, *group.pip_artifacts),
    )
    asked = spec if group_spec is None else replace(spec, pip=(*spec.pip, *group_spec.pip))
    verify_variant(asked, combined, cache_dir=options.cache_dir, offline=options.offline)
