"""Orchestration: spec -> per variant x platform conda solves -> a `LockResult`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from hybrid.conda.model import CondaSolution
from hybrid.conda.requests import entries_named_in, solve_requests
from hybrid.conda.solver import SolverOptions, get_solver
from hybrid.errors import CondaUnsatisfiableError
from hybrid.fingerprint import input_hash
from hybrid.spec.model import Spec
from hybrid.variants import Variant, spec_variants


@dataclass(frozen=True, kw_only=True, slots=True)
class SolveOptions:
    solver: str = "rattler"
    cache_dir: Path
    offline: bool = False
    mirrors: Mapping[str, str] = field(default_factory=dict)
    hash_kind: str = "md5"
    snapshot: dt.datetime | None = None

    def output_shaping(self) -> dict[str, str]:
        """Options that change output content (and so belong in the input hash)."""
        return {"hash": self.hash_kind}


@dataclass(frozen=True, kw_only=True, slots=True)
class VariantResult:
    variant: Variant
    solutions: tuple[CondaSolution, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class LockResult:
    spec: Spec
    input_hash: str
    variants: tuple[VariantResult, ...]


def effective_spec(spec: Spec, options: SolveOptions) -> Spec:
    """The spec with command-line overrides (`--snapshot`) applied."""
    return spec if options.snapshot is None else replace(spec, snapshot=options.snapshot)


def lock(spec: Spec, options: SolveOptions) -> LockResult:
    """Solve every variant x platform of `spec`; nothing is written."""
    spec = effective_spec(spec, options)
    solver = get_solver(
        options.solver, SolverOptions(cache_dir=options.cache_dir, offline=options.offline)
    )
    variants = spec_variants(spec)
    requests = [solve_requests(spec, v, mirrors=options.mirrors) for v in variants]
    flat = [r for group in requests for r in group]
    try:
        solutions = solver.solve(flat)
    except CondaUnsatisfiableError as exc:
        raise _explained(spec, exc) from None
    results = []
    start = 0
    for variant, group in zip(variants, requests, strict=True):
        results.append(
            VariantResult(variant=variant, solutions=tuple(solutions[start : start + len(group)]))
        )
        start += len(group)
    return LockResult(
        spec=spec, input_hash=input_hash(spec, options.output_shaping()), variants=tuple(results)
    )


def _explained(spec: Spec, exc: CondaUnsatisfiableError) -> CondaUnsatisfiableError:
    """Add the spec entries the solver's explanation names, with their file positions."""
    involved = entries_named_in(spec, exc.platform, exc.explanation)
    lines = [exc.explanation.rstrip()]
    if involved:
        lines.append("spec entries involved:")
        lines.extend(f"  {dep.location}: {dep.field} `{dep.spec}`" for dep in involved)
    return CondaUnsatisfiableError(
        platform=exc.platform, explanation="\n".join(lines), label=exc.label
    )
