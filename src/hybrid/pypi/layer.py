"""Compile the pip layer of every platform of one variant against its solved conda layer."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from hybrid.cache import cache_dir
from hybrid.conda.model import CondaSolution
from hybrid.errors import UsageError
from hybrid.guards.cuda_runtime import check_abi_coupled, check_one_cuda_runtime
from hybrid.guards.override import check_no_override
from hybrid.mapping import CondaPypiMapping, provided_distributions
from hybrid.platforms import family, machine
from hybrid.pypi.artifacts import DEFAULT_INDEX
from hybrid.pypi.extras import ExtrasReader
from hybrid.pypi.metadata import requirements_of
from hybrid.pypi.model import (
    IndexOptions,
    PinnedDistribution,
    PipArtifact,
    PipLayerResult,
    PipTarget,
    ProvidedDistribution,
)
from hybrid.pypi.resolver import CompileRequest, PipResolver
from hybrid.pypi.torch_index import PYTORCH_FAMILY, index_url, torch_backend
from hybrid.redact import without_userinfo
from hybrid.spec.model import Spec
from hybrid.spec.variants import Variant

MAX_PARALLEL = 4


def index_options(spec: Spec) -> IndexOptions:
    return IndexOptions(
        index_url=spec.pip_index.index_url,
        extra_index_urls=spec.pip_index.extra_index_urls,
        find_links=tuple(_resolve_link(link, spec.directory) for link in spec.pip_index.find_links),
    )


def requirements_index(index: IndexOptions, layers: Sequence[PipLayerResult]) -> IndexOptions:
    """`index` plus any index a pin came from that it does not name (the PyTorch index of a
    CUDA variant), so `pip install -r requirements.txt` finds every pinned file."""
    named = {index.index_url or DEFAULT_INDEX, *index.extra_index_urls}
    named = {without_userinfo(url).rstrip("/") for url in named}
    extra = sorted(
        {
            pin.index_url.rstrip("/")
            for layer in layers
            for pin in layer.pins
            if pin.index_url and pin.index_url.rstrip("/") not in named
        }
    )
    return replace(index, extra_index_urls=(*index.extra_index_urls, *extra))


def _resolve_link(link: str, base: Path) -> str:
    """Relative find-links paths are relative to the spec's directory."""
    if "://" in link or Path(link).is_absolute():
        return link
    return str((base / link).resolve())


def pip_target(
    spec: Spec, solution: CondaSolution, *, torch_backend: str | None = None
) -> PipTarget:
    python = solution.by_name().get("python")
    if python is None:
        raise UsageError(
            f"the conda layer for {solution.platform} has no python, so the pip layer has "
            "nothing to install into; add `python:` to the spec"
        )
    kind = family(solution.platform)
    return PipTarget(
        platform=solution.platform,
        python_version=python.version,
        glibc=spec.system.glibc_version() if kind == "linux" else None,
        macos=spec.system.macos_version(machine(solution.platform)) if kind == "osx" else None,
        torch_backend=torch_backend,
    )


def compile_pip_layers(
    spec: Spec,
    solutions: Sequence[CondaSolution],
    *,
    mapping: CondaPypiMapping,
    resolver: PipResolver,
    variant: Variant,
    exclude_newer: dt.datetime | None,
    preferences: Mapping[str, Sequence[PinnedDistribution]] | None = None,
    offline: bool = False,
    requirements: Sequence[Requirement] | None = None,
    installed: Mapping[str, Sequence[PinnedDistribution]] | None = None,
    guards: bool = True,
) -> tuple[PipLayerResult, ...]:
    """One pip layer per solution (platform), each checked never to override conda;
    ``offline`` asks no index (the resolver's cache only). ``requirements`` replace the
    spec's `pip:` entries and ``installed`` (per platform) are pins presented as installed
    beside conda's packages, neither of them moved: a dependency group on top of the base.
    ``guards=False`` leaves the guards to the caller (`promote:` moves what they would
    refuse, then runs them with `check_layer_guards`)."""
    requirements = tuple(
        dep.requirement for dep in spec.pip
    ) if requirements is None else tuple(requirements)
    index = index_options(spec)
    reader = ExtrasReader(index, offline=offline)  # one per run: reads each release once
    with tempfile.TemporaryDirectory(prefix="hybrid-pip-") as tmp:

        def one(solution: CondaSolution) -> PipLayerResult:
            provided: dict[str, ProvidedDistribution] = {
                str(name): dist
                for name, dist in provided_distributions(solution.packages, mapping).items()
            }
            backend = torch_backend(variant, solution.platform, provided)
            pinned = _as_installed((installed or {}).get(solution.platform, ()))

            def compile_with(stubs: Mapping[str, ProvidedDistribution]) -> PipLayerResult:
                return resolver.compile(
                    CompileRequest(
                        requirements=requirements,
                        provided=stubs,
                        target=pip_target(spec, solution, torch_backend=backend),
                        index=index,
                        workdir=Path(tmp) / solution.platform,
                        exclude_newer=exclude_newer,
                        exempt=spec.snapshot_exempt,
                        preferences=tuple((preferences or {}).get(solution.platform, ())),
                        may_build=spec.pip_build,
                        offline=offline,
                    )
                )

            stubs = {**pinned, **provided}
            result = compile_with(stubs)
            # Stubs declare no extras until one is asked of them: then read those releases'
            # extras and compile again, so the extra's requirements join the pip layer.
            asked = {name for name, _ in result.missing_extras if name in stubs}
            if asked:
                stubs.update(reader.add_extras({n: stubs[n] for n in sorted(asked)}))
                provided.update({n: stubs[n] for n in provided})
                result = compile_with(stubs)
            result = replace(result, provided=provided)
            if guards:
                check_layer_guards(solution, result, offline=offline, installed=stubs)
            _check_torch_index(resolver, result)
            return result

        for solution in solutions:  # refuse an unservable platform before compiling any
            resolver.check_target(pip_target(spec, solution))
        workers = 1 if not resolver.cross_platform else MAX_PARALLEL
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return tuple(pool.map(one, solutions))


def check_layer_guards(
    solution: CondaSolution,
    layer: PipLayerResult,
    *,
    offline: bool,
    installed: Mapping[str, ProvidedDistribution] | None = None,
) -> None:
    """The guards on one platform's layers: no PyPI build coupled to a conda package's ABI,
    at most one CUDA runtime, nothing installed below replaced (`installed`: conda's
    packages and, for a dependency group, the base's pip pins; default what conda provides)."""
    check_abi_coupled(
        solution.platform,
        layer.pins,
        {name: dist.conda_name for name, dist in layer.provided.items()},
    )
    check_one_cuda_runtime(
        solution.platform,
        solution.packages,
        layer.pins,
        needed_by=lambda name: _needed_by(layer, name, offline=offline),
    )
    check_no_override(
        solution.platform,
        [p.name for p in layer.pins],
        layer.provided if installed is None else installed,
    )
def _as_installed(pins: Sequence[PinnedDistribution]) -> dict[str, ProvidedDistribution]:
    """Pins of the layer below, shown to the resolver as installed (stubs at their version)."""
    return {
        pin.name: ProvidedDistribution(
            pypi_name=canonicalize_name(pin.name),
            version=str(pin.version),
            conda_name=pin.name,
            base_pip_pin=True,
        )
        for pin in pins
    }


def _needed_by(result: PipLayerResult, name: str, *, offline: bool) -> tuple[str, ...]:
    """The pins whose wheel metadata requires `name` (for an error message: read only when
    a guard fails; a pin whose metadata cannot be read is left out)."""
    wanted = canonicalize_name(name)
    artifacts = [
        PipArtifact(
            platform=result.target.platform,
            name=pin.name,
            version=str(pin.version),
            url=wheel.url,
            sha256=wheel.sha256,
        )
        for pin in result.pins
        for wheel in [next((f for f in pin.files if f.is_wheel), None)]
        if wheel is not None
    ]
    found = requirements_of(artifacts, cache_dir=cache_dir(), offline=offline)
    needers = set()
    for (_, pin_name), lines in found.items():
        for line in lines or ():
            try:
                if canonicalize_name(Requirement(line).name) == wanted:
                    needers.add(pin_name)
            except InvalidRequirement:
                continue
    return tuple(sorted(needers))


def _check_torch_index(resolver: PipResolver, result: PipLayerResult) -> None:
    """A resolver that cannot route PyTorch packages to the variant's index must not pin
    them: PyPI's `torch` is a build for one CUDA version, not the variant's."""
    backend = result.target.torch_backend
    if backend is None or resolver.torch_backend:
        return
    pinned = sorted(p.name for p in result.pins if p.name in PYTORCH_FAMILY)
    if pinned:
        raise UsageError(
            f"{', '.join(pinned)} on {result.target.platform} must come from the PyTorch "
            f"index {index_url(backend)}, which {resolver.name} cannot choose per package",
            hint="use --pip-resolver uv, or put pytorch in the spec's conda layer",
        )
