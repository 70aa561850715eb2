"""Dependency groups on top of a solved base: per variant, each group's conda layer (the
base's records locked, `group_conda`) and the pip pins it adds, compiled with the base's pins
and both conda layers presented as installed, so nothing of the base moves. `promote:` moves
what the group's pip entries bring into the group's conda layer (solved again, the base still
locked), and the layer guards judge the base's pip pins and the group's against the group's
conda layer. The base's `VariantResult` is untouched apart from its `groups`: its outputs are
the same bytes as without groups (only the headers naming the inputs differ)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase

from packaging.utils import NormalizedName, canonicalize_name

from hybrid.conda.model import CondaSolution
from hybrid.conda.solver import CondaSolver, SolverOptions, get_solver, locking_solver
from hybrid.errors import GroupConflictError, UnsatisfiableError
from hybrid.guards.overlap import check_groups_no_overlap
from hybrid.guards.override import COMPANIONS
from hybrid.lock.model import GroupResult, PreviousLock, VariantResult
from hybrid.mapping import CondaPypiMapping, provided_distributions
from hybrid.mapping.provided import ProvidedDistribution
from hybrid.pipeline.group_conda import check_base_kept, solve_group
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.pip_layers import PipLayers
from hybrid.pipeline.verify import verify_variant
from hybrid.pypi.layer import (
    check_layer_guards,
)
from hybrid.pypi.model import PinnedDistribution, PipLayerResult
from hybrid.pypi.resolver import get_resolver
from hybrid.spec.model import CondaDependency, Group, PipDependency, Spec


def add_groups(
    spec: Spec,
    options: SolveOptions,
    results: Sequence[VariantResult],
    mapping: CondaPypiMapping | None,
    kept: Mapping[str, PreviousLock] | None = None,
) -> tuple[VariantResult, ...]:
    """`results` with each variant's `groups` filled in, in spec order; `kept` (per variant
    name) holds what an earlier lock's groups added, kept where possible (`hybrid update`).
    `mapping` is needed when a group has pip entries."""
    if not spec.groups:
        return tuple(results)
    solver = get_solver(
        locking_solver(options.solver, spec.solver),
        SolverOptions(cache_dir=options.cache_dir, offline=options.offline),
    )
    if mapping is not None:
        check_groups_no_overlap(spec, mapping)
    pip = _GroupPip(spec, options, mapping, solver) if mapping is not None else None
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
    """Compiles a group's pip entries on top of the base's pip layer, moving what `promote:`
    moves into the group's conda layer (solved again with the base still locked), and judges
    both pip layers against the group's conda layer."""

    def __init__(
        self, spec: Spec, options: SolveOptions, mapping: CondaPypiMapping, solver: CondaSolver
    ) -> None:
        self._spec = spec
        self._options = options
        self._mapping = mapping
        self._solver = solver
        self._pip = PipLayers(spec, mapping, get_resolver(options.pip_resolver), options)

    def add_to(
        self, group: Group, base: VariantResult, found: GroupResult, previous: PreviousLock
    ) -> GroupResult:
        self._check_conda_beside_base_pip(group, base, found)
        if group.pip:
            found = self._with_pip(group, base, found, previous)
        for solution in found.solutions:
            self._check_guards(group, base, found, solution)
        return found

    def _with_pip(
        self, group: Group, base: VariantResult, found: GroupResult, previous: PreviousLock
    ) -> GroupResult:
        asked = replace(self._spec, pip=group.pip)  # the group's entries, its `promote:` rules
        installed = {layer.target.platform: layer.pins for layer in base.pip}
        try:
            settled = self._pip.settle(
                asked,
                found.solutions,
                variant=base.variant,
                previous=previous,
                solver=self._solver,
                installed=installed,
            )
        except UnsatisfiableError as exc:
            raise _in_group(group, exc, group.pip, _GROUP_PIP) from None
        for b, s in zip(base.solutions, settled.solutions, strict=True):
            check_base_kept(group, b, s)
        return replace(
            found,
            solutions=settled.solutions,
            pip=settled.layers,
            pip_artifacts=settled.artifacts,
            pip_index=settled.index,
            promotions=settled.promotions,
        )

    def _check_conda_beside_base_pip(
        self, group: Group, base: VariantResult, found: GroupResult
    ) -> None:
        """A conda package the group adds must not install a distribution the base's pip
        layer pins, nor one that only comes with it (`guards.override.COMPANIONS`): pip
        would replace conda's files (conda first, pip last)."""
        pinned = {layer.target.platform: [p.name for p in layer.pins] for layer in base.pip}
        for solution in base.solutions:
            provided = provided_distributions(found.added_conda(solution), self._mapping)
            clash = {
                pin: record
                for pin in sorted(pinned.get(solution.platform, ()))
                if (record := _installed_by(provided, pin)) is not None
            }
            if clash:
                records = ", ".join(sorted(set(clash.values())))
                raise GroupConflictError(
                    f"group `{group.name}` on {solution.platform}: its conda packages install "
                    "what the base's pip layer pins, and the pip layer would replace them:\n"
                    + "\n".join(f"  {pin} (with conda {rec})" for pin, rec in clash.items()),
                    hint=f"add {records} to the base's `conda:` entries, so the base's pip "
                    f"layer takes {', '.join(clash)} from conda too",
                )

    def _check_guards(
        self, group: Group, base: VariantResult, found: GroupResult, solution: CondaSolution
    ) -> None:
        """The layer guards (`check_layer_guards`) on the group's conda layer (base and
        group): first with the base's pip pins (a fix is then in the base), then with the
        group's added to them."""
        below = _layer_for(base.pip, solution.platform)
        own = _layer_for(found.pip, solution.platform)
        provided = {
            str(name): dist
            for name, dist in provided_distributions(solution.packages, self._mapping).items()
        }
        if below is not None:
            try:
                self._guard(solution, replace(below, provided=provided))
            except UnsatisfiableError as exc:
                raise _in_group(group, exc, group.conda, _BASE_PIP, fix=_BASE_CONDA) from None
        if own is not None:
            pins = (*(below.pins if below is not None else ()), *own.pins)
            try:
                self._guard(solution, replace(own, pins=tuple(sorted(pins, key=_name))))
            except UnsatisfiableError as exc:
                raise _in_group(group, exc, group.pip, _BOTH_PIP) from None

    def _guard(self, solution: CondaSolution, layer: PipLayerResult) -> None:
        check_layer_guards(solution, layer, offline=self._options.offline)


_GROUP_PIP = (
    "the group's pip entries are compiled with every base package kept as the base's lock "
    "pins it"
)
_BASE_PIP = "the base's pip layer beside the conda packages of these group entries"
_BOTH_PIP = "the base's and the group's pip layers beside the group's conda packages"
_BASE_CONDA = "the base's `conda:` entries"


def _name(pin: PinnedDistribution) -> str:
    return pin.name


def _layer_for(layers: Sequence[PipLayerResult], platform: str) -> PipLayerResult | None:
    return next((layer for layer in layers if layer.target.platform == platform), None)


def _installed_by(
    provided: Mapping[NormalizedName, ProvidedDistribution], pin: str
) -> str | None:
    """The conda record installing `pin`, or the one it only comes with on PyPI."""
    name = canonicalize_name(pin)
    if name in provided:
        return provided[name].conda_name
    for dist in provided.values():
        if any(fnmatchcase(name, p) for p in COMPANIONS.get(dist.pypi_name, ())):
            return dist.conda_name
    return None


def _in_group(
    group: Group,
    exc: UnsatisfiableError,
    entries: Sequence[CondaDependency | PipDependency],
    note: str,
    *,
    fix: str | None = None,
) -> GroupConflictError:
    """`exc`, raised for `group`: named, located at those of `entries` it names (all of them
    when it names none), its hint pointing at `fix` (default the group's conda entries)
    where it says the spec's `conda:` entries."""
    named = [dep for dep in entries if _mentions(exc.message, dep.name)] or list(entries)
    lines = [f"group `{group.name}`: {exc.message}", f"({note})"]
    lines.extend(f"  {dep.location}: {dep.field} `{_text(dep)}`" for dep in named)
    target = fix or f"the group's `groups.{group.name}.conda` entries"
    hint = exc.hint.replace("the spec's `conda:` entries", target) if exc.hint else None
    return GroupConflictError("\n".join(lines), hint=hint)


def _text(dep: CondaDependency | PipDependency) -> str:
    return dep.spec if isinstance(dep, CondaDependency) else str(dep.requirement)


def _mentions(text: str, name: str) -> bool:
    found = re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE)
    return found is not None


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
