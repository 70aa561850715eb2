"""Run the lock verifier over a variant's lock: conda closure per platform, then the pip
layer over both layers, reading each pin's requirements from its artifact's metadata."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from hybrid.errors import IncompleteLockError
from hybrid.lock.model import VariantResult, Verification
from hybrid.lock.verify import PipLayerFacts, Unmet, conda_unmet, pip_unmet, unchecked_pins
from hybrid.pypi.model import PipLayerResult
from hybrid.pypi.platforms import marker_environment
from hybrid.spec.model import Spec


def verify_variant(
    spec: Spec, result: VariantResult, *, cache_dir: Path, offline: bool
) -> tuple[Verification, ...]:
    """One `Verification` per platform; IncompleteLockError naming every unmet requirement."""
    unmet: list[Unmet] = []
    for solution in result.solutions:
        unmet.extend(conda_unmet(solution))
    requires = (
        _requirements_of(result, cache_dir=cache_dir, offline=offline) if result.pip else {}
    )
    layers = {layer.target.platform: layer for layer in result.pip}
    verified = []
    for solution in result.solutions:
        layer = layers.get(solution.platform)
        if layer is None:
            verified.append(
                Verification(platform=solution.platform, conda_records=len(solution.packages))
            )
            continue
        facts = _facts(spec, layer, requires)
        unmet.extend(pip_unmet(facts))
        verified.append(
            Verification(
                platform=solution.platform,
                conda_records=len(solution.packages),
                pip_pins=len(layer.pins),
                unchecked=unchecked_pins(facts),
            )
        )
    if unmet:
        where = "" if result.variant.cuda is None else f" ({result.variant.name})"
        raise IncompleteLockError(
            f"the lock{where} would be incomplete, so nothing was written:\n"
            + "\n".join(f"  {problem}" for problem in unmet),
            hint="pin the missing package in the spec's `conda:` or `pip:` entries; if hybrid "
            "solved this spec unchanged, please report it",
        )
    return tuple(verified)


def _facts(
    spec: Spec,
    layer: PipLayerResult,
    requires: Mapping[tuple[str, str], Sequence[str] | None],
) -> PipLayerFacts:
    platform = layer.target.platform
    return PipLayerFacts(
        platform=platform,
        pins=layer.pins,
        provided=layer.provided,
        requested=[dep.requirement for dep in spec.pip],
        environment=marker_environment(layer.target),
        requires={
            pin.name: requires.get((platform, pin.name)) for pin in layer.pins
        },
    )


def _requirements_of(
    result: VariantResult, *, cache_dir: Path, offline: bool
) -> Mapping[tuple[str, str], Sequence[str] | None]:
    """The pins' requirements, from their wheels' metadata (imported here: the metadata
    reader's HTTP is not loaded for a conda-only solve)."""
    from hybrid.pypi.metadata import requirements_of

    return requirements_of(result.pip_artifacts, cache_dir=cache_dir, offline=offline)
