"""Verify a lock before it is written: every dependency of both layers is present.

The conda layer of each platform must be closed: every `depends` entry of every record is
matched by a record of the same solution (or a virtual package within the spec's floors), and
no record breaks another's `constrains`. The pip layer must be closed over both layers: every
`Requires-Dist` of every pin (its extras and the platform's markers evaluated) is met by a pin
or by a distribution conda provides, at its version — a `pip check` of the lock without
installing. A failure is never a silent lock: it names the unmet requirement and what each
layer has under that name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import rattler
from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

from hybrid.conda.model import CondaPackage, CondaSolution
from hybrid.conda.virtual import VirtualPackage
from hybrid.pypi.model import PinnedDistribution, ProvidedDistribution


@dataclass(frozen=True, kw_only=True, slots=True)
class Unmet:
    """One requirement the lock does not satisfy, and what each layer has under its name."""

    platform: str
    layer: str  # "conda" or "pip"
    required_by: str
    requirement: str
    conda_has: str | None = None
    pip_has: str | None = None

    def __str__(self) -> str:
        found = [
            f"conda has {self.conda_has}" if self.conda_has else "conda has none",
            f"pip pins {self.pip_has}" if self.pip_has else "pip pins none",
        ]
        return (
            f"{self.platform}: {self.required_by} requires `{self.requirement}` "
            f"({'; '.join(found)})"
        )


# -- the conda layer ---------------------------------------------------------------------------


def conda_unmet(solution: CondaSolution) -> tuple[Unmet, ...]:
    """What the records of `solution` need and it lacks (or forbids and it holds)."""
    records = {p.name: _record(p) for p in solution.packages}
    virtual = {v.name: _virtual_record(v, solution.platform) for v in _virtuals(solution)}
    problems: list[Unmet] = []
    for package in solution.packages:
        for text in package.depends:
            spec = rattler.MatchSpec(text, strict=False)
            name = spec.name.normalized
            found = records.get(name) or virtual.get(name)
            if found is None or not spec.matches(found):
                problems.append(_conda_unmet(solution, package, text, name))
        for text in package.constrains:
            spec = rattler.MatchSpec(text, strict=False)
            name = spec.name.normalized
            found = records.get(name) or virtual.get(name)
            if found is not None and not spec.matches(found):
                problems.append(_conda_unmet(solution, package, f"{text} (constrains)", name))
    return tuple(problems)


def _conda_unmet(solution: CondaSolution, package: CondaPackage, text: str, name: str) -> Unmet:
    have = solution.by_name().get(name)
    virtual = next((v for v in _virtuals(solution) if v.name == name), None)
    return Unmet(
        platform=solution.platform,
        layer="conda",
        required_by=f"{package.name} {package.version} {package.build}",
        requirement=text,
        conda_has=(
            f"{have.name} {have.version} {have.build}"
            if have is not None
            else (f"{virtual.name} {virtual.version}" if virtual is not None else None)
        ),
    )


def _virtuals(solution: CondaSolution) -> tuple[VirtualPackage, ...]:
    return tuple(solution.request.virtual_packages)


def _record(package: CondaPackage) -> rattler.PackageRecord:
    return rattler.PackageRecord(
        name=package.name,
        version=package.version,
        build=rattler.BuildString(package.build),
        build_number=package.build_number,
        subdir=package.subdir,
    )


def _virtual_record(package: VirtualPackage, platform: str) -> rattler.PackageRecord:
    return rattler.PackageRecord(
        name=package.name,
        version=package.version,
        build=rattler.BuildString(package.build),
        build_number=0,
        subdir=platform,
    )


# -- the pip layer -----------------------------------------------------------------------------

_SPEC = "the spec"


@dataclass(frozen=True, kw_only=True, slots=True)
class PipLayerFacts:
    """One platform's pip layer as the verifier sees it: the pins, what conda provides, the
    requirements the spec asks for, the marker environment, and each pin's `Requires-Dist`
    (None for a pin whose metadata could not be read: it is reported as unchecked)."""

    platform: str
    pins: Sequence[PinnedDistribution]
    provided: Mapping[str, ProvidedDistribution]
    requested: Sequence[Requirement]
    environment: Mapping[str, str]
    requires: Mapping[str, Sequence[str] | None]


def pip_unmet(facts: PipLayerFacts) -> tuple[Unmet, ...]:
    """Every requirement of the pip layer (and of the spec's pip entries) that neither layer
    meets on this platform."""
    pins = {canonicalize_name(p.name): p for p in facts.pins}
    provided = {canonicalize_name(name): dist for name, dist in facts.provided.items()}
    problems: list[Unmet] = []
    for required_by, requirement in _active_requirements(facts, pins):
        name = canonicalize_name(requirement.name)
        pin, conda = pins.get(name), provided.get(name)
        if _satisfied(requirement, pin, conda):
            continue
        problems.append(
            Unmet(
                platform=facts.platform,
                layer="pip",
                required_by=required_by,
                requirement=str(requirement),
                conda_has=f"{conda.conda_name} {conda.version}" if conda else None,
                pip_has=f"{pin.name}=={pin.version}" if pin else None,
            )
        )
    return tuple(problems)


def requirements_in_force(
    facts: PipLayerFacts,
) -> tuple[tuple[NormalizedName | None, Requirement], ...]:
    """(the pin requiring it, None for the spec's own entries; requirement) for every
    requirement in force on this platform, the extras asked of each pin included."""
    pins = {canonicalize_name(p.name): p for p in facts.pins}
    return tuple(
        (None if who == _SPEC else canonicalize_name(who.split("==", 1)[0]), requirement)
        for who, requirement in _active_requirements(facts, pins)
    )


def unchecked_pins(facts: PipLayerFacts) -> tuple[str, ...]:
    """Pins whose requirements could not be read (no metadata): not verified."""
    return tuple(sorted(name for name, requires in facts.requires.items() if requires is None))


def _active_requirements(
    facts: PipLayerFacts, pins: Mapping[NormalizedName, PinnedDistribution]
) -> Iterator[tuple[str, Requirement]]:
    """(who requires it, requirement) for the spec's entries and every pin's dependencies,
    with the extras asked of each pin anywhere in the layer (to a fixed point)."""
    extras: dict[NormalizedName, set[str]] = {}
    pending: list[tuple[str, Requirement]] = [
        (_SPEC, r) for r in facts.requested if _applies(r, facts.environment, "")
    ]
    seen: set[tuple[NormalizedName, str]] = set()
    for name in pins:
        pending.extend(_requirements_of(facts, pins[name], ""))
        seen.add((name, ""))
    while pending:
        required_by, requirement = pending.pop()
        yield required_by, requirement
        name = canonicalize_name(requirement.name)
        for extra in requirement.extras:
            if (name, extra) in seen or name not in pins:
                continue
            seen.add((name, extra))
            extras.setdefault(name, set()).add(extra)
            pending.extend(_requirements_of(facts, pins[name], extra))


def _requirements_of(
    facts: PipLayerFacts, pin: PinnedDistribution, extra: str
) -> Iterable[tuple[str, Requirement]]:
    """The requirements `pin` declares that apply on this platform with `extra` active
    (extra "" is the distribution itself, without extras)."""
    who = f"{pin.name}=={pin.version}" + (f"[{extra}]" if extra else "")
    for text in facts.requires.get(pin.name) or ():
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue  # pip ignores what it cannot parse as well; uv resolved without it
        if _applies(requirement, facts.environment, extra):
            yield who, requirement


def _applies(requirement: Requirement, environment: Mapping[str, str], extra: str) -> bool:
    """Does `requirement` apply here with `extra` active? A requirement whose marker names an
    extra belongs to that extra only; one without belongs to the distribution itself."""
    marker: Marker | None = requirement.marker
    if marker is None:
        return extra == ""
    applies = marker.evaluate({**environment, "extra": extra})
    if extra == "":
        return applies
    return applies and not marker.evaluate({**environment, "extra": ""})


def _satisfied(
    requirement: Requirement,
    pin: PinnedDistribution | None,
    conda: ProvidedDistribution | None,
) -> bool:
    if pin is not None:
        if pin.url is not None and requirement.url is not None:
            return True
        return requirement.specifier.contains(pin.version, prereleases=True)
    if conda is not None:
        if conda.pep440 is None:
            return True  # conda's version is not PEP 440; the stub bridge already judged it
        return requirement.specifier.contains(conda.pep440, prereleases=True)
    return False
