"""The `Requires-Dist` of each locked pip artifact, for the lock verifier.

A wheel's core metadata comes from its index's PEP 658 file (`<wheel URL>.metadata`), or
else from the `METADATA` inside the wheel, read with HTTP range requests (the zip's central
directory, then that one member: a few kilobytes of a wheel of any size, as pip's lazy wheel
does), or from the file itself for a local wheel (find-links). It is cached by the wheel's
sha256 (immutable), so a re-solve reads no page twice.
Sdists and version-control references have no metadata to read without building them: they
are reported as unchecked. `offline` reads only the cache.
"""

from __future__ import annotations

import email.parser
import io
import logging
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from hybrid.atomic import write_files_atomically
from hybrid.pypi import web
from hybrid.pypi.model import PipArtifact

log = logging.getLogger(__name__)

MAX_PARALLEL = 8
TIMEOUT_SECONDS = 30.0


def requirements_of(
    artifacts: Iterable[PipArtifact], *, cache_dir: Path, offline: bool
) -> dict[tuple[str, str], Sequence[str] | None]:
    """(platform, name) -> the artifact's `Requires-Dist` lines, or None when unreadable."""
    chosen = list(artifacts)
    with ThreadPoolExecutor(max_workers=MAX_PARALLEL) as pool:
        found = list(
            pool.map(lambda a: _requires(a, cache_dir=cache_dir, offline=offline), chosen)
        )
    return {(a.platform, a.name): lines for a, lines in zip(chosen, found, strict=True)}


def _requires(artifact: PipArtifact, *, cache_dir: Path, offline: bool) -> Sequence[str] | None:
    text = _metadata(artifact, cache_dir=cache_dir, offline=offline)
    if text is None:
        return None
    message = email.parser.Parser().parsestr(text, headersonly=True)
    return tuple(message.get_all("Requires-Dist") or ())


def _metadata(artifact: PipArtifact, *, cache_dir: Path, offline: bool) -> str | None:
    path = urlsplit(artifact.url).path
    if not path.endswith(".whl"):
        return None  # an sdist or a version-control reference
    if artifact.url.startswith("file:"):
        return _local_metadata(Path(url2pathname(unquote(path))))
    cached = cache_dir / "pip-metadata" / f"{artifact.sha256}.metadata"
    if cached.is_file():
        return cached.read_text(encoding="utf-8", errors="replace")
    if offline:
        return None
    url = artifact.url.split("#", 1)[0]
    body = _fetch(url + ".metadata") or _remote_metadata(url)
    if body is None:
        return None
    write_files_atomically({cached: body})
    return body.decode("utf-8", errors="replace")


def _fetch(url: str) -> bytes | None:
    request = urllib.request.Request(url, headers={"User-Agent": "hybrid"})
    try:
        return web.fetch(request, TIMEOUT_SECONDS)[0]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.info("no core metadata for %s: %s", url, exc)
        return None


def _local_metadata(wheel: Path) -> str | None:
    try:
        with wheel.open("rb") as handle:
            data = _metadata_member(handle)
    except (OSError, zipfile.BadZipFile) as exc:
        log.info("no core metadata in %s: %s", wheel, exc)
        return None
    return None if data is None else data.decode("utf-8", "replace")


def _remote_metadata(url: str) -> bytes | None:
    try:
        return _metadata_member(io.BufferedReader(_RangeReader(url), _RangeReader.CHUNK))
    except (urllib.error.URLError, OSError, ValueError, zipfile.BadZipFile) as exc:
        log.info("no core metadata in %s: %s", url, exc)
        return None


def _metadata_member(handle: IO[bytes]) -> bytes | None:
    with zipfile.ZipFile(handle) as archive:
        name = next((n for n in archive.namelist() if n.endswith(".dist-info/METADATA")), None)
        return None if name is None else archive.read(name)


class _RangeReader(io.RawIOBase):
    """A remote file read on demand with HTTP range requests; zipfile seeks to the central
    directory at the end, then to one member, so a wheel costs two or three requests."""

    CHUNK = 64 * 1024

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url
        self._ranges: list[tuple[int, bytes]] = []
        self._position = 0
        status, total, body = self._get(f"bytes=-{self.CHUNK}")
        if status != 206 or total is None:
            raise ValueError("the server does not answer range requests")
        self._size = total
        self._ranges.append((total - len(body), body))

    def _get(self, byte_range: str) -> tuple[int, int | None, bytes]:
        request = urllib.request.Request(
            self._url, headers={"User-Agent": "hybrid", "Range": byte_range}
        )
        opened = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS, context=web.tls())
        with opened as response:
            total = response.headers.get("Content-Range", "").rpartition("/")[2]
            if response.status != 206:
                return response.status, None, b""
            return 206, int(total) if total.isdigit() else None, bytes(response.read())

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def read(self, size: int = -1) -> bytes:
        end = self._size if size < 0 else min(self._size, self._position + size)
        if end <= self._position:
            return b""
        data = self._covered(self._position, end)
        if data is None:
            fetch_end = min(self._size, max(end, self._position + self.CHUNK))
            status, _, body = self._get(f"bytes={self._position}-{fetch_end - 1}")
            if status != 206:
                raise ValueError("the server stopped answering range requests")
            self._ranges.append((self._position, body))
            data = self._covered(self._position, end) or b""
        self._position += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _covered(self, start: int, end: int) -> bytes | None:
        for begin, body in self._ranges:
            if begin <= start and end <= begin + len(body):
                return body[start - begin : end - begin]
        return None


def core_metadata(artifact: PipArtifact, *, cache_dir: Path, offline: bool) -> str | None:
    """The artifact's core metadata text, read as `requirements_of` reads it (None for an
    sdist, a version-control reference, or a wheel whose metadata is not at hand)."""
    return _metadata(artifact, cache_dir=cache_dir, offline=offline)
