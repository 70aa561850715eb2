"""The full repodata records of locked conda packages, from the repodata cache only.

`conda-lock.yml` keeps name, version, build, URL, hashes and dependencies; a record also has
the build number, `noarch` kind, size, timestamp, constraints and licence. Those come from
the repodata `hybrid solve` cached (`<cache>/repodata`, read by rattler with
`force-cache-only`: never the network) or, for a `file://` channel, from the channel itself;
a channel solved through a mirror is looked up at the mirror (the cache knows it by that
URL), and its records are given the canonical URLs the lock has.
A package found nowhere (the lock was copied to another machine, the cache was cleared) gets
a record built from the lock alone: build number from the build string's `_<n>` suffix, no
licence. Records are matched by URL and must agree on the sha256 the lock recorded.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import rattler
from rattler.exceptions import FetchRepoDataError, GatewayError, InvalidChannelError

from hybrid.export.locks import CondaLocked
from hybrid.spec.channels import ChannelRef

log = logging.getLogger(__name__)

_BUILD_NUMBER = re.compile(r"_(\d+)$")
# What a gateway can raise for a channel it cannot read offline; anything else is a bug.
_UNREADABLE = (FetchRepoDataError, GatewayError, InvalidChannelError, OSError)


def cached_records(
    packages: Iterable[CondaLocked], *, platform: str, cache_dir: Path,
    refs: Sequence[ChannelRef] = (),
) -> dict[str, rattler.RepoDataRecord]:
    """URL -> the cached repodata record of each package of `packages` found offline; `refs`
    name where each channel is read from (a mirror), when not from its canonical URL."""
    wanted = {p.url: p for p in packages}
    if not wanted:
        return {}
    by_url = {ref.canonical_url.rstrip("/"): ref for ref in refs}
    mirrored = [by_url[c] for c in {p.channel for p in wanted.values()} if c in by_url]
    channels = sorted({p.channel for p in wanted.values()} - {r.canonical_url for r in mirrored})
    channels += sorted(ref.location_url for ref in mirrored)
    names = sorted({p.name for p in wanted.values()})
    try:
        found = asyncio.run(_query(channels, platform, names, cache_dir))
    except _UNREADABLE as exc:  # the cache has no copy: the lock's own fields are used
        log.info("repodata cache has no records for %s (%s)", platform, exc)
        return {}
    finally:
        gc.collect()  # free rattler's objects while the interpreter is alive
    records: dict[str, rattler.RepoDataRecord] = {}
    for record in found:
        url = _canonical(record.url, mirrored)
        locked = wanted.get(url)
        if locked is not None and _agrees(record, locked):
            records[url] = record if url == record.url else rattler.RepoDataRecord(
                package_record=record, file_name=record.file_name, url=url,
                channel=locked.channel + "/",
            )
    return records


def _canonical(url: str, refs: Sequence[ChannelRef]) -> str:
    for ref in refs:
        canonical = ref.to_canonical(url)
        if canonical != url:
            return canonical
    return url


def record_for(
    package: CondaLocked, cached: Mapping[str, rattler.RepoDataRecord]
) -> rattler.RepoDataRecord:
    """The cached record of `package`, else one built from what the lock records."""
    record = cached.get(package.url)
    if record is not None:
        return record
    return rattler.RepoDataRecord(
        package_record=rattler.PackageRecord(
            name=package.name,
            version=package.version,
            build=rattler.BuildString(package.build),
            build_number=build_number(package.build),
            subdir=package.subdir,
            depends=list(package.depends),
            sha256=bytes.fromhex(package.sha256) if package.sha256 else None,
            md5=bytes.fromhex(package.md5) if package.md5 else None,
        ),
        file_name=package.filename,
        url=package.url,
        channel=package.channel + "/",
    )


def build_number(build: str) -> int:
    """conda-build's convention: the build string ends in `_<build number>`; else 0."""
    match = _BUILD_NUMBER.search(build)
    return int(match.group(1)) if match else 0


async def _query(
    channels: list[str], platform: str, names: list[str], cache_dir: Path
) -> list[rattler.RepoDataRecord]:
    cache = cache_dir / "repodata"
    cache.mkdir(parents=True, exist_ok=True)
    gateway = rattler.Gateway(
        cache_dir=cache,
        default_config=rattler.SourceConfig(cache_action="force-cache-only"),
    )
    subdirs = [rattler.Subdir(platform), rattler.Subdir("noarch")]
    per_channel = await gateway.query(
        [rattler.Channel(c) for c in channels], subdirs, names, recursive=False
    )
    return [record for records in per_channel for record in records]


def _agrees(record: rattler.RepoDataRecord, locked: CondaLocked) -> bool:
    if locked.sha256 and record.sha256 is not None:
        return record.sha256.hex() == locked.sha256
    if locked.md5 and record.md5 is not None:
        return record.md5.hex() == locked.md5
    return False
