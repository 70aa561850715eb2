"""Which pip-layer packages of one platform move to the conda layer (`promote:`), and the conda
spec each one becomes.

A pin moves when it is named in the spec's `promote:` list; when its PyPI build is coupled
to the ABI of a package conda provides (`guards.cuda_runtime.ABI_COUPLED`: PyPI torchvision
next to conda pytorch); or when it is one of NVIDIA's CUDA wheels while the conda layer holds
CUDA libraries (it becomes the conda package holding the same libraries,
`mapping.cuda_wheels.txt`; an NVIDIA wheel the table does not know moves the pins needing it
instead). The conda spec keeps the version range pip needed of the package, where conda's
grammar can say it. A pin no rule moves stays; the guards then judge the layer as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packaging.requirements import Requirement
from packaging.specifiers import Specifier
from packaging.utils import NormalizedName, canonicalize_name

from hybrid.conda.model import CondaSolution
from hybrid.guards.cuda_runtime import coupled_to, is_cuda_wheel
from hybrid.lock.promotion import PromotionReason
from hybrid.mapping import CondaPypiMapping
from hybrid.mapping.cuda import conda_for_wheel, cuda_table, is_cuda_library
from hybrid.mapping.specifiers import conda_version_spec
from hybrid.pypi.model import PipLayerResult
from hybrid.spec.matchspec import CondaMatchSpec
from hybrid.spec.model import Promote

#: (the pin requiring it, None for the spec's own entries; the requirement)
Needs = Sequence[tuple[NormalizedName | None, Requirement]]


@dataclass(frozen=True, kw_only=True, slots=True)
class Move:
    """One pin of one platform's pip layer that moves: `conda_spec` replaces it."""

    pypi_name: NormalizedName
    conda_spec: CondaMatchSpec
    reason: PromotionReason
    coupled_to: str | None


@dataclass(frozen=True, kw_only=True, slots=True)
class Candidate:
    """A pin a rule moves, and the conda package it becomes ("" for an NVIDIA wheel the
    CUDA table does not know: the pins needing it move instead)."""

    pypi_name: NormalizedName
    conda_name: str
    reason: PromotionReason
    coupled_to: str | None
    cut: bool = False  # the conda version has a component more than the wheel's


def candidates(
    promote: Promote, solution: CondaSolution, layer: PipLayerResult, mapping: CondaPypiMapping
) -> tuple[Candidate, ...]:
    """The pins of `layer` that a rule moves; their version ranges come from `moves`."""
    runtime = _cuda_runtime(solution)
    found: dict[NormalizedName, Candidate] = {}
    for pin in layer.pins:
        name = canonicalize_name(pin.name)
        candidate = _rule(promote, name, layer, mapping, runtime)
        if candidate is not None:
            found.setdefault(name, candidate)
    return tuple(found[name] for name in sorted(found))


def _unknown_wheel(candidate: Candidate) -> bool:
    """An NVIDIA wheel the CUDA table does not know: the pins needing it move instead."""
    return candidate.reason == "cuda" and not candidate.conda_name


def moves(
    found: Sequence[Candidate], needs: Needs, mapping: CondaPypiMapping
) -> tuple[Move, ...]:
    """The conda specs for `found`, each with the range `needs` (every requirement in force
    on the platform) asks of it; an unknown NVIDIA wheel's needers move in its place."""
    chosen: dict[NormalizedName, Move] = {}
    for candidate in found:
        if not _unknown_wheel(candidate):
            chosen.setdefault(candidate.pypi_name, _move(candidate, needs))
            continue
        for needer in sorted({who for who, r in needs if _names(r, candidate.pypi_name) and who}):
            stand_in = Candidate(
                pypi_name=needer,
                conda_name=conda_name_for(needer, mapping),
                reason="cuda",
                coupled_to=candidate.coupled_to,
            )
            chosen.setdefault(needer, _move(stand_in, needs))
    return tuple(chosen[name] for name in sorted(chosen))


def conda_name_for(pypi_name: str, mapping: CondaPypiMapping) -> str:
    """The conda package of a PyPI distribution: the mapping's best claimant, else the same
    name (conda-forge's rule for Python packages)."""
    listed = mapping.conda_names_for(pypi_name)
    return listed[0] if listed else canonicalize_name(pypi_name)


def _rule(
    promote: Promote,
    name: NormalizedName,
    layer: PipLayerResult,
    mapping: CondaPypiMapping,
    runtime: str | None,
) -> Candidate | None:
    if name in promote.names:
        return Candidate(
            pypi_name=name, conda_name=conda_name_for(name, mapping), reason="listed",
            coupled_to=None,
        )
    base = coupled_to(name, layer.provided)
    if base is not None:
        return Candidate(
            pypi_name=name, conda_name=conda_name_for(name, mapping), reason="abi",
            coupled_to=layer.provided[base].conda_name,
        )
    if runtime is not None and is_cuda_wheel(name):
        holders = sorted(conda_for_wheel(name), key=lambda c: (c.startswith("lib"), c))
        conda = holders[0] if holders else ""
        row = cuda_table().get(conda)
        return Candidate(
            pypi_name=name, conda_name=conda, reason="cuda", coupled_to=runtime,
            cut=row is not None and row.parts is not None,
        )
    return None


def _cuda_runtime(solution: CondaSolution) -> str | None:
    """The package naming the conda layer's CUDA (its runtime, else `cuda-version`, else
    its first CUDA library); None when the conda layer holds no CUDA library."""
    names = [p.name for p in solution.packages]
    libraries = [n for n in names if is_cuda_library(n)]
    if not libraries:
        return None
    named = [n for n in ("cuda-cudart", "cudatoolkit", "cuda-version") if n in names]
    return (named or libraries)[0]


def _move(candidate: Candidate, needs: Needs) -> Move:
    specifiers: list[Specifier] = [
        s for _, r in needs if _names(r, candidate.pypi_name) for s in r.specifier
    ]
    version = conda_version_spec(specifiers, cut=candidate.cut)
    return Move(
        pypi_name=candidate.pypi_name,
        conda_spec=CondaMatchSpec(name=candidate.conda_name, version=version),
        reason=candidate.reason,
        coupled_to=candidate.coupled_to,
    )


def _names(requirement: Requirement, name: str) -> bool:
    return canonicalize_name(requirement.name) == name
