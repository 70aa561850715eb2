"""Get every archive an explicit file names onto disk and check it against its hash.

`file://` archives are read where they are; anything else (https, s3, oci) is downloaded
with rattler's client into the archive cache, where a file already there is reused only when
it still has the locked hash. The installer then links exactly these verified bytes: rattler
itself does not check the md5 of an explicit line, nor any hash of a `file://` package.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import rattler
from rattler.package_streaming import download_to_path

from hybrid.atomic import replacing
from hybrid.conda.explicit import ExplicitEntry
from hybrid.errors import ChannelError, IntegrityError
from hybrid.redact import redact

log = logging.getLogger(__name__)

CONCURRENCY = 8
RETRIES = 3
_CHUNK = 1 << 20


@dataclass(frozen=True, kw_only=True, slots=True)
class FetchedPackage:
    """A verified archive: the lock entry, the file on disk, where it was read from."""

    entry: ExplicitEntry
    path: Path
    location: str
    md5: str
    sha256: str


def location_url(url: str, mirrors: Mapping[str, str]) -> str:
    """`url` read through a mirror: {canonical channel URL: location URL} (`--mirror`)."""
    for canonical, location in mirrors.items():
        base = canonical.rstrip("/") + "/"
        if url.startswith(base):
            return location.rstrip("/") + "/" + url[len(base) :]
    return url


def fetch_packages(
    entries: Sequence[ExplicitEntry], *, mirrors: Mapping[str, str], archive_dir: Path
) -> list[FetchedPackage]:
    """Every entry on disk and verified, in the given order; IntegrityError on a mismatch."""
    return asyncio.run(_fetch_all(entries, mirrors=mirrors, archive_dir=archive_dir))


async def _fetch_all(
    entries: Sequence[ExplicitEntry], *, mirrors: Mapping[str, str], archive_dir: Path
) -> list[FetchedPackage]:
    client = rattler.Client.default_client(max_retries=RETRIES)
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(entry: ExplicitEntry) -> FetchedPackage:
        async with limit:
            return await _fetch(entry, location_url(entry.url, mirrors), archive_dir, client)

    return list(await asyncio.gather(*(one(entry) for entry in entries)))


async def _fetch(
    entry: ExplicitEntry, location: str, archive_dir: Path, client: rattler.Client
) -> FetchedPackage:
    parts = urlsplit(location)
    if parts.scheme == "file":
        path = Path(url2pathname(parts.path))
        if not path.is_file():
            raise ChannelError(f"{entry.filename}: {path} does not exist", hint=_mirror_hint(entry))
        return await _verified(entry, path, location)
    archive_dir.mkdir(parents=True, exist_ok=True)
    path = archive_dir / entry.filename
    if path.is_file():
        md5, sha256 = await asyncio.to_thread(digests, path)
        if _matches(entry, md5, sha256):
            log.debug("%s: reusing the verified archive in %s", entry.filename, archive_dir)
            return FetchedPackage(entry=entry, path=path, location=location, md5=md5, sha256=sha256)
    with replacing(path) as partial:
        fetched = await _download(entry, location, partial, client)
    log.info("downloaded %s", redact(location))
    return FetchedPackage(
        entry=entry, path=path, location=location, md5=fetched.md5, sha256=fetched.sha256
    )


async def _download(
    entry: ExplicitEntry, location: str, partial: Path, client: rattler.Client
) -> FetchedPackage:
    try:
        await download_to_path(client, location, partial)
    except Exception as exc:  # rattler raises its own exception types for network failures
        raise ChannelError(
            f"{entry.filename}: cannot download {redact(location)}: {redact(str(exc))}",
            hint=_mirror_hint(entry),
        ) from exc
    return await _verified(entry, partial, location)


async def _verified(entry: ExplicitEntry, path: Path, location: str) -> FetchedPackage:
    md5, sha256 = await asyncio.to_thread(digests, path)
    if not _matches(entry, md5, sha256):
        actual = f"sha256:{sha256}" if entry.sha256 else f"md5:{md5}"
        raise IntegrityError(
            f"{entry.filename}: hash mismatch for {redact(location)}\n"
            f"  locked: {entry.digest}\n  actual: {actual}",
            hint="the channel changed under the lock, or the download is corrupt; "
            "nothing was installed",
        )
    return FetchedPackage(entry=entry, path=path, location=location, md5=md5, sha256=sha256)


def _matches(entry: ExplicitEntry, md5: str, sha256: str) -> bool:
    if entry.sha256:
        return entry.sha256 == sha256
    return entry.md5 == md5


def digests(path: Path) -> tuple[str, str]:
    """(md5, sha256) of `path`, both hex."""
    md5, sha256 = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            md5.update(chunk)
            sha256.update(chunk)
    return md5.hexdigest(), sha256.hexdigest()


def _mirror_hint(entry: ExplicitEntry) -> str:
    return f"when {entry.channel_url} is read from elsewhere, pass --mirror NAME=URL"
