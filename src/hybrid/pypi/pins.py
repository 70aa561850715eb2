"""From a compiled requirements file to the pins of a pip layer (stubs left out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from hybrid.errors import BackendError
from hybrid.pypi.directrefs import DirectPin
from hybrid.pypi.model import PinnedDistribution, PipLayerResult
from hybrid.pypi.reqfile import CompiledLine
from hybrid.pypi.stubs import is_stub_version
from hybrid.redact import without_userinfo


def collect_pins(
    lines: Sequence[CompiledLine], direct: Mapping[NormalizedName, DirectPin], *, tool: str
) -> tuple[PinnedDistribution, ...]:
    """The pins of ``lines`` sorted by name, without stubs and without credentials."""
    pins: list[PinnedDistribution] = []
    for line in lines:
        name = canonicalize_name(line.requirement.name)
        index_url = without_userinfo(line.index_url) if line.index_url else None
        if line.requirement.url:
            if name not in direct:
                raise BackendError(f"{tool} gave {name} as a direct reference hybrid cannot pin")
            found = direct[name]
            pins.append(PinnedDistribution(
                name=name, version=found.version, hashes=line.hashes or found.hashes,
                url=without_userinfo(found.url), index_url=index_url,
            ))
            continue
        version = _exact_version(line, tool=tool)
        if is_stub_version(version):
            continue
        pins.append(PinnedDistribution(
            name=name, version=version, hashes=line.hashes, index_url=index_url,
        ))
    return tuple(sorted(pins, key=lambda pin: pin.name))


def _exact_version(line: CompiledLine, *, tool: str) -> Version:
    specifiers = list(line.requirement.specifier)
    if len(specifiers) != 1 or specifiers[0].operator != "==":
        raise BackendError(f"{tool} did not pin {line.requirement} to one version")
    try:
        return Version(specifiers[0].version)
    except InvalidVersion as exc:
        raise BackendError(f"{tool} pinned {line.requirement}: {exc}") from exc


def unhashable_pins(results: Iterable[PipLayerResult]) -> tuple[PinnedDistribution, ...]:
    """Pins pip cannot install in hash-checking mode (VCS direct references), by name."""
    found = {
        (pin.name, pin.url): pin
        for result in results
        for pin in result.pins
        if pin.url is not None and not pin.hashes
    }
    return tuple(found[key] for key in sorted(found, key=lambda k: (k[0], k[1] or "")))
