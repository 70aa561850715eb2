"""Turn a spec into one conda solve request per variant x platform."""

from __future__ import annotations

import re
from collections.abc import Mapping

from hybrid.conda.channels import resolve_channels
from hybrid.conda.cuda import VariantPins, variant_pins
from hybrid.conda.model import LockedRef, SolveRequest
from hybrid.conda.virtual import virtual_packages
from hybrid.spec.model import CondaDependency, Spec
from hybrid.variants import Variant


def conda_specs(spec: Spec, platform: str, variant: Variant) -> tuple[str, ...]:
    """The match specs solved for `platform`: the entries as written plus the pins hybrid adds."""
    return (*(dep.spec for dep in spec.conda_for(platform)), *added_specs(spec, platform, variant))


def _variant_pins(spec: Spec, platform: str, variant: Variant) -> VariantPins:
    requested = [dep.name for dep in spec.conda_for(platform)]
    return variant_pins(variant, platform, channels=spec.channels, requested=requested)


def added_specs(spec: Spec, platform: str, variant: Variant) -> tuple[str, ...]:
    """The specs hybrid adds to the `conda:` entries: the `python:` pin, the variant's CUDA
    pin (`cuda-version 12.6.*`, `pytorch-cuda 12.1.*` or `cpuonly`), and `pip` (and `python`
    when nothing pins it) when the spec has a pip layer: pip installs into conda's python."""
    names = {dep.name for dep in spec.conda_for(platform)}
    added: list[str] = []
    python = spec.python_spec()
    if python is not None:
        added.append(python)
    elif spec.pip and "python" not in names:
        added.append("python")
    pins = _variant_pins(spec, platform, variant)
    added.extend(s for s in pins.specs if s.split()[0] not in names)
    if spec.pip and "pip" not in names:
        added.append("pip")
    return tuple(added)


def solve_requests(
    spec: Spec,
    variant: Variant,
    *,
    mirrors: Mapping[str, str],
    locked: Mapping[str, tuple[LockedRef, ...]] | None = None,
) -> tuple[SolveRequest, ...]:
    """One request per platform; `locked` (per platform) are kept where possible."""
    channels = resolve_channels(spec.channels, base_dir=spec.directory, mirrors=mirrors)
    requests = []
    for platform in spec.platforms:
        pins = _variant_pins(spec, platform, variant)
        requests.append(
            SolveRequest(
                platform=platform,
                specs=conda_specs(spec, platform, variant),
                constraints=pins.constraints,
                channels=channels,
                virtual_packages=virtual_packages(
                    platform, spec.system, cuda=variant.cuda_version
                ),
                exclude_newer=spec.snapshot,
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
