"""`pixi.lock` from hybrid's locks, written with py-rattler's lock file API.

One pixi environment per variant (`default` when the spec has one, else the variant names
in pixi's alphabet: `cpu`, `cuda-12-6`), each with the spec's channels and, per platform,
the conda packages (full repodata records where the cache has them, see `records.py`) and
the pip layer's distributions. Each dependency group is one more environment,
`<environment>-<group>` (`default-dev`), holding the base and the group's packages.
py-rattler 0.28's `add_pypi_package` takes no hash, so the sha256 of each distribution is
added to its package entry afterwards and the file is parsed and written again by rattler,
which both checks the result and gives it rattler's own layout. pixi itself will re-lock
when its manifest (`pixi.toml`) does not match: the file is for rattler-based readers and
for `pixi install --frozen` in a project whose manifest asks for the same packages.
"""

from __future__ import annotations

import gc
import re
import tempfile
from pathlib import Path
from typing import Any

import rattler
from ruamel.yaml import YAML

from hybrid.errors import InternalError
from hybrid.export.locks import ExportSource, PlatformLock
from hybrid.export.records import cached_records, record_for

PIXI_LOCK = "pixi.lock"
_NOT_PIXI = re.compile(r"[^a-z0-9-]+")


def environment_name(variant: str) -> str:
    """A pixi environment name (lowercase letters, digits, `-`): `cuda-12.6` -> `cuda-12-6`."""
    return _NOT_PIXI.sub("-", variant.lower()).strip("-") or "default"


def render_pixi_lock(source: ExportSource, *, cache_dir: Path) -> str:
    """The text of `pixi.lock` for every variant and platform of `source`."""
    try:
        with tempfile.TemporaryDirectory(prefix="hybrid-pixi-") as tmp:
            path = Path(tmp) / PIXI_LOCK
            _build(source, cache_dir).to_path(path)
            _add_pypi_hashes(path, _pypi_hashes(source))
            rattler.LockFile.from_path(path).to_path(path)
            return path.read_text(encoding="utf-8")
    finally:
        gc.collect()  # free rattler's objects while the interpreter is alive


def _build(source: ExportSource, cache_dir: Path) -> rattler.LockFile:
    platforms = {p: rattler.LockPlatform(p) for p in source.spec.platforms}
    lock = rattler.LockFile(list(platforms.values()))
    single = len(source.variants) == 1
    for variant in source.variants:
        name = "default" if single else environment_name(variant.name)
        groups = [None, *(g.name for g in source.spec.groups)]
        for group in groups:
            environment = name if group is None else environment_name(f"{name}-{group}")
            lock.set_channels(environment,
                              [rattler.LockChannel(c + "/") for c in variant.channels])
            for locked in variant.platforms:
                _add(lock, environment, platforms[locked.platform], locked.with_group(group),
                     source, cache_dir)
    return lock


def _add(
    lock: rattler.LockFile, environment: str, platform: rattler.LockPlatform,
    locked: PlatformLock, source: ExportSource, cache_dir: Path,
) -> None:
    cached = cached_records(locked.conda, platform=locked.platform, cache_dir=cache_dir,
                            refs=source.channel_refs)
    for package in locked.conda:
        lock.add_conda_package(environment, platform, record_for(package, cached))
    for dist in locked.pip:
        lock.add_pypi_package(environment, platform, dist.name, dist.version, dist.url)


def _pypi_hashes(source: ExportSource) -> dict[str, str]:
    return {
        dist.url: dist.sha256
        for variant in source.variants
        for locked in variant.platforms
        for dist in (*locked.pip, *(d for g in locked.groups for d in g.pip))
        if dist.sha256
    }


def _add_pypi_hashes(path: Path, hashes: dict[str, str]) -> None:
    """Give each `pypi:` package entry the sha256 its distribution is locked with."""
    yaml = YAML(typ="safe", pure=True)
    document: Any = yaml.load(path.read_text(encoding="utf-8"))
    packages = document.get("packages") if isinstance(document, dict) else None
    if not isinstance(packages, list):
        raise InternalError(f"rattler wrote a pixi.lock without a package list ({path})")
    for entry in packages:
        if isinstance(entry, dict) and entry.get("pypi") in hashes:
            entry["sha256"] = hashes[entry["pypi"]]
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(document, handle)
