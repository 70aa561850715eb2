"""Orchestration: spec -> per variant x platform conda solves -> pip layers -> a `LockResult`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from hybrid.conda.model import CondaSolution, SolveRequest
from hybrid.conda.requests import solve_requests
from hybrid.conda.solver import SolverOptions, chosen_solver, get_solver, locking_solver
from hybrid.errors import CondaUnsatisfiableError, UsageError
from hybrid.guards.cpu_variant import check_cpu_variant
from hybrid.guards.overlap import check_no_overlap
from hybrid.lock.model import LockResult, PreviousLock, VariantResult
from hybrid.mapping import CondaPypiMapping
from hybrid.pipeline.context import RunContext
from hybrid.pipeline.explain import explained
from hybrid.pipeline.notices import (
    cuda_notices,
    pip_layer_notices,
    unhashable_notices,
    unverified_notices,
)
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.progress import ProgressEvent, conda_event
from hybrid.pipeline.side_by_side import SideBySide
from hybrid.pipeline.source_notices import source_notices
from hybrid.pipeline.verify import verify_variant
from hybrid.spec.fingerprint import input_hash, input_parts
from hybrid.spec.model import Spec
from hybrid.spec.variants import Variant, spec_variants

if TYPE_CHECKING:
    from hybrid.pipeline.pip_layers import PipLayers


def effective_spec(spec: Spec, options: SolveOptions) -> Spec:
    """The spec with command-line overrides (`--snapshot`) applied."""
    spec = spec if options.snapshot is None else replace(spec, snapshot=options.snapshot)
    if options.snapshot_strict and spec.snapshot is None:
        raise UsageError(
            "--snapshot-strict applies to a snapshot, and there is none: give the spec a "
            "`snapshot:` date or pass --snapshot DATE"
        )
    return spec


def lock(
    spec: Spec,
    options: SolveOptions,
    *,
    previous: Mapping[str, PreviousLock] | None = None,
    context: RunContext | None = None,
) -> LockResult:
    """Solve every variant x platform of `spec`; nothing is written.

    `previous` (per variant name) holds packages to keep where possible: `hybrid update`.
    `context` lends a shared solver and mapping cache, and takes progress events.
    """
    context = context or RunContext()
    spec = effective_spec(spec, options)
    notices = list(cuda_notices(spec, require_cuda=options.require_cuda))
    mapping = _pip_mapping(spec, options, notices, context)
    kept = previous or {}
    variants = spec_variants(spec)
    both = (
        SideBySide(SolverOptions(cache_dir=options.cache_dir, offline=options.offline))
        if chosen_solver(options.solver, spec.solver) == "both"
        else None
    )
    solutions = _solve_conda(spec, options, variants, kept, context)
    pip = _pip_layers(spec, mapping, options) if mapping else None
    results = []
    for variant in variants:
        result = VariantResult(variant=variant, solutions=solutions[variant])
        check_cpu_variant(variant, result.solutions)
        if pip is not None:
            context.progress(ProgressEvent(kind="pip", phase="start", variant=variant.name))
            result = pip.add_to(result, kept.get(variant.name, PreviousLock()))
            context.progress(ProgressEvent(kind="pip", phase="done", variant=variant.name))
            notices.extend(pip.moved_notices(spec, solutions[variant], result))
            notices.extend(unhashable_notices(result))
        context.progress(ProgressEvent(kind="verify", phase="start", variant=variant.name))
        verified = verify_variant(
            spec, result, cache_dir=options.cache_dir, offline=options.offline
        )
        context.progress(ProgressEvent(kind="verify", phase="done", variant=variant.name))
        result = replace(result, verified=verified)
        notices.extend(unverified_notices(result))
        results.append(result)
    if spec.groups:
        from hybrid.pipeline.groups import add_groups

        if mapping is None and any(group.pip for group in spec.groups):
            mapping = _load_mapping(spec, options, context)
        results = list(add_groups(spec, options, results, mapping, kept))
    # from the solutions locked: after promotion's re-solves, with the groups' solutions
    notices.extend(source_notices(spec, [
        s for r in results for s in (*r.solutions, *(s for g in r.groups for s in g.solutions))
    ]))  # fmt: skip
    shaping = options.output_shaping()
    return LockResult(
        spec=spec,
        input_hash=input_hash(spec, shaping),
        input_parts=input_parts(spec, shaping),
        hash_kind=options.hash_kind,
        variants=tuple(results),
        notices=tuple(notices),
        comparisons=(
            both.compare([s.request for r in results for s in r.solutions]) if both else ()
        ),
    )


def _solve_conda(
    spec: Spec,
    options: SolveOptions,
    variants: Sequence[Variant],
    kept: Mapping[str, PreviousLock],
    context: RunContext,
) -> dict[Variant, tuple[CondaSolution, ...]]:
    """Every variant x platform in one batch (the solver runs them concurrently), by the
    backend whose answers are locked (rattler under `--solver both`, compared afterwards).
    The context's shared solver serves when it is that backend."""
    name = locking_solver(options.solver, spec.solver)
    solver_options = SolverOptions(cache_dir=options.cache_dir, offline=options.offline)
    requests: dict[Variant, tuple[SolveRequest, ...]] = {
        v: solve_requests(
            spec,
            v,
            mirrors=options.mirrors,
            locked=kept.get(v.name, PreviousLock()).conda,
            drop_undated=options.snapshot_strict,
        )
        for v in variants
    }
    batch = [r for group in requests.values() for r in group]
    for request in batch:
        context.progress(conda_event(request, "start"))
    shared = context.solver
    solver = (
        shared if shared is not None and shared.name == name else get_solver(name, solver_options)
    )
    try:
        answers = solver.solve(batch, on_solved=lambda r: context.progress(conda_event(r, "done")))
    except CondaUnsatisfiableError as exc:
        raise explained(spec, exc) from None
    solved = iter(answers)
    return {v: tuple(next(solved) for _ in group) for v, group in requests.items()}


def _pip_layers(spec: Spec, mapping: CondaPypiMapping, options: SolveOptions) -> PipLayers:
    """Imported here: a conda-only solve loads none of the pip layer's modules."""
    from hybrid.pipeline.pip_layers import PipLayers
    from hybrid.pypi.resolver import get_resolver

    return PipLayers(spec, mapping, get_resolver(options.pip_resolver), options)


def _pip_mapping(
    spec: Spec, options: SolveOptions, notices: list[str], context: RunContext
) -> CondaPypiMapping | None:
    """The conda -> PyPI mapping, and the both-layers guard, when the spec has a pip layer."""
    if not spec.pip:
        return None
    mapping = _load_mapping(spec, options, context)
    if mapping.note:
        notices.append(f"conda -> PyPI mapping: {mapping.note}")
    check_no_overlap(spec, mapping)
    notices.extend(pip_layer_notices(spec))
    return mapping


def _load_mapping(spec: Spec, options: SolveOptions, context: RunContext) -> CondaPypiMapping:
    """The spec's conda -> PyPI mapping, through the context (loaded once in a batch)."""
    return context.mapping(
        spec.channels,
        override=options.pypi_mapping,
        offline=options.offline,
        cache_dir=options.cache_dir,
    )
