"""Conda first for binaries (`promote:`): move pip-layer packages that must come from conda to
the conda layer and solve both layers again, until nothing moves.

One round: compile the pip layers against the conda layers (without the guards), find
the pins that move (`promote_moves`), add their conda specs to the platforms' solve requests
(as specs hybrid added, so environment.yml lists them), solve those conda layers again and
compile their pip layers again. A round moves at least one new package per platform it
touches and a package never moves twice, so the loop ends; `MAX_ROUNDS` bounds it anyway.
When nothing moves, the guards judge the final layers as they judge every lock. Where
conda has no build that fits, the solve fails naming the package, what it is coupled to and
the ways out. With `promote: off` the layers are compiled once, guards included, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from hybrid.conda.model import CondaSolution, SolveRequest
from hybrid.conda.solver import CondaSolver
from hybrid.errors import CondaUnsatisfiableError, PromotionError
from hybrid.lock.model import VariantResult
from hybrid.lock.promotion import Promotion
from hybrid.lock.verify import PipLayerFacts, requirements_in_force
from hybrid.mapping import CondaPypiMapping
from hybrid.pipeline.promote_moves import Move, Needs, candidates, moves
from hybrid.pypi.layer import check_layer_guards
from hybrid.pypi.metadata import requirements_of
from hybrid.pypi.model import PipArtifact, PipLayerResult
from hybrid.pypi.platforms import marker_environment
from hybrid.spec.model import Spec

#: Rounds of moves before giving up (each settles what the one before exposed; two suffice
#: for every case seen: the coupled wheel, then the CUDA wheels of its conda build).
MAX_ROUNDS = 5

#: Compile the pip layers of some platforms' conda layers; the flag asks for the guards.
Compile = Callable[[Sequence[CondaSolution], bool], tuple[PipLayerResult, ...]]


@dataclass(frozen=True, kw_only=True, slots=True)
class Settled:
    """Both layers of one variant once nothing moves, and the moves that got them there."""

    solutions: tuple[CondaSolution, ...]
    layers: tuple[PipLayerResult, ...]
    promotions: tuple[Promotion, ...] = ()


def settle_layers(
    spec: Spec,
    solutions: Sequence[CondaSolution],
    *,
    compile_layers: Compile,
    solver: CondaSolver,
    mapping: CondaPypiMapping,
    cache_dir: Path,
    offline: bool,
) -> Settled:
    """The variant's conda solutions and pip layers after every move `spec.promote` asks."""
    if spec.promote.mode == "off":
        return Settled(solutions=tuple(solutions), layers=compile_layers(solutions, True))
    current = {s.platform: s for s in solutions}
    first = {platform: solution.request for platform, solution in current.items()}
    layers = dict(zip(current, compile_layers(solutions, False), strict=True))
    done: dict[str, list[Move]] = {platform: [] for platform in current}
    for _ in range(MAX_ROUNDS):
        found = {
            platform: _moves(spec, current[platform], layers[platform], mapping,
                             cache_dir=cache_dir, offline=offline)
            for platform in current
        }
        found = {platform: group for platform, group in found.items() if group}
        if not found:
            break
        for platform, group in found.items():
            _refuse_moving_again(platform, group, done[platform])
            done[platform].extend(group)
        again = _solve(solver, [_with_moves(first[p], done[p]) for p in found], found)
        current.update((s.platform, s) for s in again)
        layers.update(zip(found, compile_layers(again, False), strict=True))
    else:
        raise PromotionError(
            f"moving packages from the pip layer to the conda layer did not settle after "
            f"{MAX_ROUNDS} rounds: " + "; ".join(
                f"{platform}: {', '.join(m.pypi_name for m in group)}"
                for platform, group in done.items() if group
            ),
            hint="list what must come from conda in the spec's `conda:` entries",
        )
    for platform, solution in current.items():
        check_layer_guards(solution, layers[platform], offline=offline)
    return Settled(
        solutions=tuple(current.values()),
        layers=tuple(layers[p] for p in current),
        promotions=_promotions(done),
    )


def _moves(
    spec: Spec,
    solution: CondaSolution,
    layer: PipLayerResult,
    mapping: CondaPypiMapping,
    *,
    cache_dir: Path,
    offline: bool,
) -> tuple[Move, ...]:
    """This platform's moves; pins' metadata is read only when some pin moves. A package
    the spec asks for by direct reference (`torchvision @ https://…`) never moves: that
    file was asked for, and the guards judge it."""
    direct = {dep.name for dep in spec.pip if dep.requirement.url}
    found = tuple(
        c for c in candidates(spec.promote, solution, layer, mapping) if c.pypi_name not in direct
    )
    if not found:
        return ()
    return moves(found, _needs(spec, layer, cache_dir=cache_dir, offline=offline), mapping)


def _needs(spec: Spec, layer: PipLayerResult, *, cache_dir: Path, offline: bool) -> Needs:
    """Every requirement in force in the layer: the spec's entries and the pins' own (read
    from their wheels' metadata, cached; a pin without a wheel file contributes none)."""
    platform = layer.target.platform
    artifacts = [
        PipArtifact(platform=platform, name=pin.name, version=str(pin.version),
                    url=wheel.url, sha256=wheel.sha256)
        for pin in layer.pins
        for wheel in [next((f for f in pin.files if f.is_wheel), None)]
        if wheel is not None
    ]
    requires = requirements_of(artifacts, cache_dir=cache_dir, offline=offline)
    facts = PipLayerFacts(
        platform=platform,
        pins=layer.pins,
        provided=layer.provided,
        requested=[dep.requirement for dep in spec.pip],
        environment=marker_environment(layer.target),
        requires={pin.name: requires.get((platform, pin.name)) for pin in layer.pins},
    )
    return requirements_in_force(facts)


def _refuse_moving_again(platform: str, group: Sequence[Move], done: Sequence[Move]) -> None:
    """A package that moved and is still in the pip layer: its conda package does not
    install that distribution, as far as the conda -> PyPI mapping knows."""
    earlier = {m.pypi_name: m for m in done}
    again = [m for m in group if m.pypi_name in earlier]
    if not again:
        return
    lines = [
        f"  {m.pypi_name}: conda `{earlier[m.pypi_name].conda_spec}` was added for it, yet "
        "the conda -> PyPI mapping does not say that conda package installs it"
        for m in again
    ]
    raise PromotionError(
        f"the pip layer for {platform} still needs packages already moved to the conda "
        "layer:\n" + "\n".join(lines),
        hint="name the conda package that provides them in the spec's `conda:` entries, or "
        "pass --pypi-mapping with a mapping that lists them",
    )


def _with_moves(first: SolveRequest, group: Sequence[Move]) -> SolveRequest:
    """The platform's first request plus every move's spec (as specs hybrid added)."""
    specs = tuple(m.conda_spec for m in group)
    return replace(first, specs=(*first.specs, *specs), added=(*first.added, *specs))


def _solve(
    solver: CondaSolver, requests: Sequence[SolveRequest], found: Mapping[str, Sequence[Move]]
) -> list[CondaSolution]:
    try:
        return solver.solve(requests)
    except CondaUnsatisfiableError as exc:
        raise _no_conda_build(exc, found.get(exc.platform, ())) from None


def _no_conda_build(exc: CondaUnsatisfiableError, group: Sequence[Move]) -> PromotionError:
    """Exit 3 naming the moved packages, what each is coupled to, and the ways out."""
    named = [m for m in group if m.conda_spec.name in exc.explanation] or list(group)
    where = f"{exc.platform} ({exc.label})" if exc.label else exc.platform
    lines = [f"  {m.pypi_name} -> conda `{m.conda_spec}`: {_why(m)}" for m in named]
    return PromotionError(
        f"the pip layer for {where} needs packages that must come from the conda layer, and "
        f"conda has no build of them that fits:\n" + "\n".join(lines)
        + "\nconda's explanation:\n" + "\n".join(
            f"  {line}" for line in exc.explanation.splitlines()
        ),
        hint="; ".join(_ways_out(m) for m in named),
    )


def _why(move: Move) -> str:
    if move.reason == "abi":
        return f"its PyPI build is linked against PyPI's build of conda's {move.coupled_to}"
    if move.reason == "cuda":
        return f"from pip, a second CUDA runtime next to conda's ({move.coupled_to})"
    return "listed in the spec's `promote:`"


def _ways_out(move: Move) -> str:
    conda = move.conda_spec.name
    if move.reason == "abi":
        return (
            f"for {move.pypi_name}: pin a {move.coupled_to} version conda builds {conda} for, "
            f"add a conda channel that has {conda}, or take {move.coupled_to} from pip too "
            "(move it to `pip:` and set `promote: off`)"
        )
    if move.reason == "cuda":
        return (
            f"for {move.pypi_name}: pin a version of the package needing it that conda's "
            f"{conda} fits, add a conda channel that has {conda}, or take every CUDA library "
            "from pip (drop conda's CUDA packages and set `promote: off`)"
        )
    return (
        f"for {move.pypi_name}: remove it from `promote:` so pip installs it, or add a conda "
        f"channel that has {conda}"
    )


def _promotions(done: Mapping[str, Sequence[Move]]) -> tuple[Promotion, ...]:
    """One record per move, with every platform it was made on."""
    platforms: dict[Move, list[str]] = {}
    for platform, group in done.items():
        for move in group:
            platforms.setdefault(move, []).append(platform)
    return tuple(
        Promotion(
            pypi_name=move.pypi_name,
            conda_spec=move.conda_spec,
            reason=move.reason,
            coupled_to=move.coupled_to,
            platforms=tuple(where),
        )
        for move, where in sorted(platforms.items(), key=lambda item: item[0].pypi_name)
    )



def moved_notices(
    spec: Spec, before: Sequence[CondaSolution], result: VariantResult
) -> tuple[str, ...]:
    """What the moves changed of the spec's own conda entries: solving with the moved
    packages may take another version of what they are coupled to (pytorch 2.5.1 -> 2.1.2
    for the newest torchvision build that fits it)."""
    if not result.promotions:
        return ()
    first = {s.platform: s.by_name() for s in before}
    where = "" if result.variant.cuda is None else f" ({result.variant.name})"
    moved = ", ".join(p.pypi_name for p in result.promotions)
    notices = []
    for solution in result.solutions:
        was, now = first.get(solution.platform, {}), solution.by_name()
        changes = [
            f"{dep.name} {was[dep.name].version} -> {now[dep.name].version}"
            for dep in spec.conda_for(solution.platform)
            if dep.name in was and dep.name in now
            and was[dep.name].version != now[dep.name].version
        ]
        if changes:
            notices.append(
                f"moving {moved} to the conda layer changed {', '.join(changes)} on "
                f"{solution.platform}{where}"
            )
    return tuple(notices)
