"""Orchestration: spec -> per variant x platform conda solves -> a `LockResult`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from hybrid.conda.cuda import CUDA_BUILD_PACKAGES, cuda_leaks, dependents
from hybrid.conda.model import CondaSolution
from hybrid.conda.requests import added_specs, entries_named_in, solve_requests
from hybrid.conda.solver import SolverOptions, get_solver
from hybrid.errors import CondaUnsatisfiableError, VariantError
from hybrid.guards.overlap import check_no_overlap
from hybrid.lock.model import LockResult, VariantResult
from hybrid.mapping import CondaPypiMapping, mapping_for_channels
from hybrid.platforms import CUDA_PLATFORMS
from hybrid.pypi.artifacts import ArtifactSelector
from hybrid.pypi.layer import compile_pip_layers, index_options
from hybrid.pypi.model import PipArtifact, PipLayerResult
from hybrid.pypi.pins import unhashable_pins
from hybrid.pypi.resolver import get_resolver
from hybrid.readback.previous import PreviousLock
from hybrid.spec.fingerprint import input_hash, output_options
from hybrid.spec.matchspec import CondaMatchSpec
from hybrid.spec.model import Spec
from hybrid.spec.variants import Variant, spec_variants


@dataclass(frozen=True, kw_only=True, slots=True)
class SolveOptions:
    solver: str = "rattler"
    cache_dir: Path
    offline: bool = False
    mirrors: Mapping[str, str] = field(default_factory=dict)
    hash_kind: str = "md5"
    snapshot: dt.datetime | None = None
    require_cuda: bool = False
    pip_resolver: str = "uv"
    pypi_mapping: str | None = None

    def output_shaping(self) -> dict[str, str]:
        """Options that change output content (and so belong in the input hash)."""
        return output_options(hash_kind=self.hash_kind)


def effective_spec(spec: Spec, options: SolveOptions) -> Spec:
    """The spec with command-line overrides (`--snapshot`) applied."""
    return spec if options.snapshot is None else replace(spec, snapshot=options.snapshot)


def lock(
    spec: Spec, options: SolveOptions, *, previous: Mapping[str, PreviousLock] | None = None
) -> LockResult:
    """Solve every variant x platform of `spec`; nothing is written.

    `previous` (per variant name) holds packages to keep where possible: `hybrid update`.
    """
    spec = effective_spec(spec, options)
    notices = list(_cuda_notices(spec, options))
    mapping = _pip_mapping(spec, options, notices)
    resolver = get_resolver(options.pip_resolver) if spec.pip else None
    solver = get_solver(
        options.solver, SolverOptions(cache_dir=options.cache_dir, offline=options.offline)
    )
    variants = spec_variants(spec)
    kept = previous or {}
    requests = [
        solve_requests(
            spec, v, mirrors=options.mirrors, locked=kept.get(v.name, PreviousLock()).conda
        )
        for v in variants
    ]
    flat = [r for group in requests for r in group]
    try:
        solutions = solver.solve(flat)
    except CondaUnsatisfiableError as exc:
        raise _explained(spec, exc) from None
    results = []
    start = 0
    selector: ArtifactSelector | None = None
    for variant, group in zip(variants, requests, strict=True):
        chunk = tuple(solutions[start : start + len(group)])
        start += len(group)
        _check_variant(variant, chunk)
        pip: tuple[PipLayerResult, ...] = ()
        artifacts: tuple[PipArtifact, ...] = ()
        if mapping is not None and resolver is not None:
            pip = compile_pip_layers(
                spec,
                chunk,
                mapping=mapping,
                resolver=resolver,
                variant=variant,
                exclude_newer=spec.snapshot,
                preferences=kept.get(variant.name, PreviousLock()).pip,
            )
            notices.extend(_unhashable_notice(variant, pip))
            selector = selector or ArtifactSelector(index_options(spec))
            artifacts = tuple(a for layer in pip for a in selector.select(layer))
        results.append(
            VariantResult(variant=variant, solutions=chunk, pip=pip, pip_artifacts=artifacts)
        )
    return LockResult(
        spec=spec,
        input_hash=input_hash(spec, options.output_shaping()),
        variants=tuple(results),
        notices=tuple(notices),
    )


def _unhashable_notice(variant: Variant, pip: tuple[PipLayerResult, ...]) -> list[str]:
    """Say so when requirements.txt cannot be installed with `--require-hashes`."""
    pins = unhashable_pins(pip)
    if not pins:
        return []
    names = ", ".join(sorted({p.name for p in pins}))
    where = "" if variant.cuda is None else f" ({variant.name})"
    return [
        f"requirements.txt{where} pins version-control references ({names}); pip cannot "
        "hash-check those, so install it without --require-hashes"
    ]


def _pip_mapping(spec: Spec, options: SolveOptions, notices: list[str]) -> CondaPypiMapping | None:
    """The conda -> PyPI mapping, and the both-layers guard, when the spec has a pip layer."""
    if not spec.pip:
        return None
    mapping = mapping_for_channels(
        spec.channels,
        override=options.pypi_mapping,
        offline=options.offline,
        cache_dir=options.cache_dir,
    )
    if mapping.note:
        notices.append(f"conda -> PyPI mapping: {mapping.note}")
    check_no_overlap(spec, mapping)
    notices.extend(_added_for_pip(spec, "python"))
    notices.extend(_added_for_pip(spec, "pip"))
    return mapping


def _added_for_pip(spec: Spec, name: str) -> tuple[str, ...]:
    """Say where hybrid adds a bare `python` or `pip` to the conda layer because the spec has
    pip deps and names none there (the pip layer installs with conda's pip into its python)."""
    variant = spec_variants(spec)[0]  # what is added for the pip layer is the same in each
    where = [
        platform
        for platform in spec.platforms
        if CondaMatchSpec(name=name) in added_specs(spec, platform, variant)
    ]
    if not where:
        return ()
    only = "" if len(where) == len(spec.platforms) else " on " + ", ".join(where)
    return (f"the spec has pip deps but no {name}: hybrid adds `{name}` to conda{only}",)


def _cuda_notices(spec: Spec, options: SolveOptions) -> tuple[str, ...]:
    """CUDA variants on platforms without CUDA (macOS) get CPU builds: say so, or refuse."""
    cuda = [v for v in spec_variants(spec) if v.cuda_version is not None]
    without = [p for p in spec.platforms if p not in CUDA_PLATFORMS]
    if not cuda or not without:
        return ()
    names = ", ".join(v.name for v in cuda)
    text = f"{', '.join(without)} has no CUDA: the {names} variant uses CPU builds there"
    if options.require_cuda:
        raise VariantError(
            f"{text}, and --require-cuda forbids that",
            hint="drop those platforms, or add a `cpu` variant and run without --require-cuda",
        )
    return (text,)


def _check_variant(variant: Variant, solutions: tuple[CondaSolution, ...]) -> None:
    """A `cpu` variant must hold no CUDA package, whatever the channel metadata says."""
    if variant.cuda != "cpu":
        return
    for solution in solutions:
        leaks = cuda_leaks(solution)
        if leaks:
            lines = [
                f"  {p.name} {p.version} {p.build}"
                + (
                    f" (needed by {', '.join(dependents(solution, p.name))})"
                    if dependents(solution, p.name)
                    else ""
                )
                for p in leaks
            ]
            raise VariantError(
                f"the cpu variant for {solution.platform} would install CUDA packages:\n"
                + "\n".join(lines),
                hint="the channel metadata lets a CUDA build in; pin a CPU build of the "
                "package that needs it (e.g. `pytorch * *cpu*`) or exclude it",
            )


def _explained(spec: Spec, exc: CondaUnsatisfiableError) -> CondaUnsatisfiableError:
    """Add the spec entries the solver's explanation names, with their file positions."""
    involved = entries_named_in(spec, exc.platform, exc.explanation)
    lines = [exc.explanation.rstrip()]
    named = [f"  {dep.location}: {dep.field} `{dep.spec}`" for dep in involved]
    python = spec.python_match()
    if python is not None and spec.python_location and "python" in exc.explanation:
        named.append(f"  {spec.python_location}: python `{spec.python}` (`{python}`)")
    runtime = ("cuda-version", "pytorch-cuda", "cpuonly")
    if spec.cuda_location and any(name in exc.explanation for name in runtime):
        named.append(f"  {spec.cuda_location}: cuda {', '.join(spec.cuda)} (the {exc.label} pin)")
    if named:
        lines.append("spec entries involved:")
        lines.extend(named)
    kind = "CUDA" if exc.label.startswith("cuda-") else "CPU" if exc.label == "cpu" else None
    constrained = sorted(d.name for d in involved if d.name in CUDA_BUILD_PACKAGES)
    if kind and constrained:
        lines.append(
            f"in the {exc.label} variant hybrid accepts only {kind} builds of "
            f"{', '.join(constrained)}; none fits here, and a silent fallback is never taken"
        )
    return CondaUnsatisfiableError(
        platform=exc.platform, explanation="\n".join(lines), label=exc.label
    )
