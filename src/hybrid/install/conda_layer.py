"""Install the conda layer of an explicit file with py-rattler's installer.

An explicit file holds URLs and hashes only; `rattler.install` wants full `RepoDataRecord`s
(depends, noarch type, …). Like `conda install --file explicit.txt`, hybrid takes them from
the packages themselves: every archive is fetched and verified first (`fetch.py`), then
`RepoDataRecord.from_package_archive` reads its `info/index.json` and hashes it. That works
the same for https and `file://` channels and for mirrors, and needs no repodata — which
may have changed since the solve, or be unreachable.

The record handed to rattler points at the verified archive on disk (`file://`), so rattler
links exactly those bytes and never downloads twice; a package it extracted earlier is
linked only when every file still has its recorded sha256 (`_verified_cache`). Afterwards
each `conda-meta/*.json` gets the URL and channel of the lock line back, so the environment
records where its packages really come from. Link scripts are not run (rattler's default).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import rattler

from hybrid.errors import CondaInstallError, IntegrityError
from hybrid.install.fetch import FetchedPackage, fetch_packages
from hybrid.prefix.paths import CONDA_META
from hybrid.readback.explicit import ExplicitFile

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaLayerReport:
    """What the conda layer installed: `name-version-build` in lock order, and how long."""

    packages: tuple[str, ...]
    seconds: float


def install_conda_layer(
    explicit: ExplicitFile,
    prefix: Path,
    *,
    mirrors: Mapping[str, str],
    cache: Path,
    requested: Mapping[str, str] | None = None,
) -> CondaLayerReport:
    """Make the conda packages of `prefix` exactly those of `explicit` (verified first)."""
    started = time.monotonic()
    fetched = fetch_packages(explicit.entries, mirrors=mirrors, archive_dir=cache / "archives")
    log.info("verified %d conda packages in %.1fs", len(fetched), time.monotonic() - started)
    asyncio.run(_link(fetched, prefix, cache / "extracted"))
    _finish_records(prefix, fetched, requested or {})
    seconds = time.monotonic() - started
    log.info("conda layer: %d packages in %s (%.1fs)", len(fetched), prefix, seconds)
    return CondaLayerReport(packages=tuple(f.entry.stem for f in fetched), seconds=seconds)


async def _link(fetched: Sequence[FetchedPackage], prefix: Path, extracted: Path) -> None:
    records = [await _record(package) for package in fetched]
    try:
        await rattler.install(
            records,
            prefix,
            package_cache=_verified_cache(extracted),
            execute_link_scripts=False,
            show_progress=False,
        )
    except Exception as exc:  # rattler's InstallerError, LinkError, TransactionError, IoError…
        raise CondaInstallError(f"installing the conda layer into {prefix} failed: {exc}") from exc


def _verified_cache(extracted: Path) -> rattler.PackageCache:
    """The extracted-package cache, each entry checked before it is linked: every file its
    `info/paths.json` lists must have that sha256 (rattler's `full` validation), or rattler
    extracts the package again from the verified archive. Without it rattler only checks
    that `info/index.json` exists, and links a file changed in the cache (say through a
    hard link from an environment) into every new prefix. `benchmarks/bench_package_cache.py`
    on 89 packages, 6,000 files, 235 MB extracted (2 busy cores, medians of 7): linking from
    a warm cache took 0.65 s of CPU instead of 0.39 s, 1.37 s wall clock instead of 0.91 s; a
    first install, which extracts everything, showed no difference beyond noise. The cache's own
    `info/paths.json` is trusted: this catches a changed or damaged file, not a cache
    rewritten on purpose."""
    full = rattler.ValidationMode.full()
    return rattler.PackageCache.new_layered([extracted], validation_mode=full)


async def _record(package: FetchedPackage) -> rattler.RepoDataRecord:
    entry = package.entry
    try:
        record = await rattler.RepoDataRecord.from_package_archive(package.path)
    except Exception as exc:  # a corrupt archive that still had the locked hash
        raise IntegrityError(f"{entry.filename}: not a readable conda package ({exc})") from exc
    found = (record.name.normalized, str(record.version), str(record.build))
    if found != (entry.name, entry.version, entry.build):
        raise IntegrityError(
            f"{entry.filename}: the archive says it is {'-'.join(found)}, "
            f"not what its file name and the lock say"
        )
    record.url = package.path.as_uri()
    record.channel = entry.channel_url
    record.file_name = entry.filename
    record.md5 = bytes.fromhex(package.md5)
    record.sha256 = bytes.fromhex(package.sha256)
    return record


def _finish_records(
    prefix: Path, fetched: Sequence[FetchedPackage], requested: Mapping[str, str]
) -> None:
    """Give each `conda-meta/<stem>.json` its lock line's URL and channel, and the spec that
    asked for the package (py-rattler 0.28 cannot pass `requested_specs` to its installer)."""
    for package in fetched:
        entry = package.entry
        path = prefix / CONDA_META / f"{entry.stem}.json"
        record = rattler.PrefixRecord.from_path(path)
        record.url = entry.url
        record.channel = entry.channel_url
        if entry.name in requested:
            record.requested_specs = [requested[entry.name]]
        record.write_to_path(path, pretty=True)
