"""Turn a spec into one conda solve request per variant x platform."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from hybrid.conda.cuda import VariantPins, variant_pins
from hybrid.conda.model import LockedRef, SolveRequest
from hybrid.conda.virtual import virtual_packages
from hybrid.spec.channels import ChannelRef, listed_channel, resolve_channels
from hybrid.spec.matchspec import CondaMatchSpec
from hybrid.spec.model import CondaDependency, Spec
from hybrid.spec.variants import Variant


def _read_from(
    match: CondaMatchSpec, channels: tuple[ChannelRef, ...], base_dir: Path
) -> CondaMatchSpec:
    """`conda-forge::numpy` keeps meaning the spec's `conda-forge` when that channel is read
    from a mirror: the solver sees the location the records come from."""
    if match.channel is None:
        return match
    ref = listed_channel(match.channel, channels, base_dir=base_dir)
    if ref is None or ref.location_url == ref.canonical_url:
        return match
    return match.with_channel(ref.location_url)


def read_from(
    match: CondaMatchSpec, channels: tuple[ChannelRef, ...], base_dir: Path
) -> CondaMatchSpec:
    """`match` as the solver reads it (a channel-qualified spec pointing at its mirror)."""
    return _read_from(match, channels, base_dir)


def _variant_pins(spec: Spec, platform: str, variant: Variant) -> VariantPins:
    requested = [dep.name for dep in spec.conda_for(platform)]
    return variant_pins(variant, platform, channels=spec.channels, requested=requested)


def added_specs(spec: Spec, platform: str, variant: Variant) -> tuple[CondaMatchSpec, ...]:
    """The specs hybrid adds to the `conda:` entries: the `python:` pin, the variant's CUDA
    pin (`cuda-version 12.6.*`, `pytorch-cuda 12.1.*` or `cpuonly`), and `pip` (and `python`
    when nothing pins it) when the spec has a pip layer: pip installs into conda's python."""
    names = {dep.name for dep in spec.conda_for(platform)}
    added: list[CondaMatchSpec] = []
    python = spec.python_match()
    if python is not None:
        added.append(python)
    elif spec.pip and "python" not in names:
        added.append(CondaMatchSpec(name="python"))
    pins = _variant_pins(spec, platform, variant)
    added.extend(s for s in pins.specs if s.name not in names)
    if spec.pip and "pip" not in names:
        added.append(CondaMatchSpec(name="pip"))
    return tuple(added)


def solve_requests(
    spec: Spec,
    variant: Variant,
    *,
    mirrors: Mapping[str, str],
    locked: Mapping[str, tuple[LockedRef, ...]] | None = None,
    drop_undated: bool = False,
) -> tuple[SolveRequest, ...]:
    """One request per platform; `locked` (per platform) are kept where possible;
    `drop_undated` leaves records without a timestamp out under the snapshot."""
    channels = resolve_channels(spec.channels, base_dir=spec.directory, mirrors=mirrors)
    requests = []
    for platform in spec.platforms:
        pins = _variant_pins(spec, platform, variant)
        added = added_specs(spec, platform, variant)
        entries = (dep.match for dep in spec.conda_for(platform))
        requests.append(
            SolveRequest(
                platform=platform,
                specs=tuple(_read_from(m, channels, spec.directory) for m in (*entries, *added)),
                added=added,
                constraints=pins.constraints,
                channels=channels,
                virtual_packages=virtual_packages(
                    platform, spec.system, cuda=variant.driver_floor, cuda_arch=variant.arch
                ),
                exclude_newer=spec.snapshot,
                drop_undated=drop_undated,
                label="" if variant.cuda is None else variant.name,
                locked=(locked or {}).get(platform, ()),
            )
        )
    return tuple(requests)


def entries_named_in(spec: Spec, platform: str, text: str) -> tuple[CondaDependency, ...]:
    """The spec's conda entries whose package name appears in a solver explanation."""
    found = []
    for dep in spec.conda_for(platform):
        pattern = rf"(?<![\w.-]){re.escape(dep.name)}(?![\w-])"
        if re.search(pattern, text):
            found.append(dep)
    return tuple(found)
