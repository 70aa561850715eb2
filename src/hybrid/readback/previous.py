"""The previous lock of a spec, read back so `hybrid update` changes as little as possible."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from hybrid.conda.model import LockedRef
from hybrid.lock.model import PreviousLock
from hybrid.mapping import builtin_mapping
from hybrid.pypi.model import PinnedDistribution
from hybrid.readback.diff import DEFAULT_VARIANT, MAIN, read_locks
from hybrid.spec.model import Spec
from hybrid.spec.variants import spec_variants


def read_previous(spec: Spec, out_dir: Path, *, unlock: Collection[str]) -> dict[str, PreviousLock]:
    """Variant name -> what its previous `conda-lock.yml` pinned, minus the `unlock` names."""
    freed = freed_names(unlock)
    locks = read_locks(out_dir)
    variants = spec_variants(spec)
    previous: dict[str, PreviousLock] = {}
    for variant in variants:
        key = DEFAULT_VARIANT if len(variants) == 1 else variant.name
        packages = locks.get(key)
        if packages is None:
            continue
        # per conda-lock category: `main` is the base, any other a dependency group
        condas: dict[str, dict[str, list[LockedRef]]] = {}
        pips: dict[str, dict[str, list[PinnedDistribution]]] = {}
        for (platform, layer, name, category), (_, locked) in packages.items():
            if name in freed:
                continue
            conda = condas.setdefault(category, {})
            pip = pips.setdefault(category, {})
            if layer == "conda":
                conda.setdefault(platform, []).append(
                    LockedRef(
                        name=name,
                        version=locked.version,
                        build=locked.build or "",
                        subdir=_subdir(locked.url, platform),
                    )
                )
            else:
                pin = _pin(name, locked.version)
                if pin is not None:
                    pip.setdefault(platform, []).append(pin)
        kept = {
            category: PreviousLock(
                conda={p: tuple(refs) for p, refs in condas.get(category, {}).items()},
                pip={p: tuple(pins) for p, pins in pips.get(category, {}).items()},
            )
            for category in condas.keys() | {MAIN}
        }
        base = kept.pop(MAIN)
        previous[variant.name] = PreviousLock(conda=base.conda, pip=base.pip, groups=kept)
    return previous


def freed_names(unlock: Collection[str]) -> set[str]:
    """The names to free in both layers: as given, canonical, and across the conda -> PyPI
    mapping (`torch` frees conda's `pytorch`, `pytorch` frees pip's `torch`)."""
    mapping = builtin_mapping()
    freed: set[str] = set()
    for name in unlock:
        freed |= {name.lower(), canonicalize_name(name)}
        freed |= set(mapping.conda_names_for(name))
        freed |= set(mapping.pypi_names(name, depends_on_python=False))
    return freed


def _subdir(url: str, platform: str) -> str:
    parts = url.rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 and parts[-2] in (platform, "noarch") else platform


def _pin(name: str, version: str) -> PinnedDistribution | None:
    try:
        return PinnedDistribution(name=canonicalize_name(name), version=Version(version))
    except InvalidVersion:
        return None
