"""Fetch a document over HTTP(S) or file://, kept in an on-disk cache with an expiry."""

from __future__ import annotations

import hashlib
import http.client
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from hybrid import __version__
from hybrid.atomic import write_files_atomically
from hybrid.cache import cache_dir as default_cache_dir
from hybrid.errors import BackendError, OutputError
from hybrid.redact import redact

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_MAX_AGE = timedelta(days=1)
DEFAULT_TIMEOUT = 30.0
URL_SCHEMES = frozenset({"http", "https", "file"})
_MAX_BYTES = 64 * 1024 * 1024


def is_url(value: str) -> bool:
    """Whether `value` is a URL hybrid can fetch (http, https or file)."""
    return "://" in value and urlsplit(value).scheme.lower() in URL_SCHEMES


def cache_file(url: str, cache_dir: Path | None = None) -> Path:
    """Where the cached copy of `url` lives: under `mapping/` of `cache_dir`, by default
    hybrid's cache directory; keyed by the URL without credentials (a short digest of a
    password is no key to keep, and a new token still finds the cached copy)."""
    digest = hashlib.sha256(redact(url).encode("utf-8")).hexdigest()[:24]
    root = cache_dir if cache_dir is not None else default_cache_dir()
    return root / "mapping" / f"{digest}.json"


def fetch_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The body at `url`; any failure is a BackendError naming the URL."""
    if not is_url(url):
        raise BackendError(f"cannot fetch {url!r}: only http, https and file URLs are supported")
    request = urllib.request.Request(url, headers={"User-Agent": f"hybrid/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(_MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise BackendError(f"could not fetch {url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise BackendError(f"could not fetch {url}: {exc.reason}") from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise BackendError(f"could not fetch {url}: {exc or type(exc).__name__}") from exc
    if len(data) > _MAX_BYTES:
        raise BackendError(f"could not fetch {url}: larger than {_MAX_BYTES} bytes")
    return data


def fetch_cached(
    url: str,
    parse: Callable[[bytes], T],
    *,
    cache_dir: Path | None = None,
    max_age: timedelta = DEFAULT_MAX_AGE,
    offline: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[T, str | None]:
    """The parsed document at `url`, from the cache while it is younger than `max_age`.

    Only documents that `parse` accepts are cached. An expired copy is still used when the
    fetch fails, and any copy when `offline`. Returns the value and a note saying why it is
    not fresh (None when it is); raises BackendError when there is nothing usable.
    """
    path = cache_file(url, cache_dir)
    cached = _read_cache(path, parse)
    if cached is not None:
        value, mtime = cached
        expired = time.time() - mtime > max_age.total_seconds()
        if not expired:
            return value, None
        if offline:
            logger.info("offline: using the expired cached copy of %s", url)
            return value, f"offline: using the cached copy from {_stamp(mtime)}, not refreshed"
    if offline:
        raise BackendError(
            f"{url} is not cached (looked for {path}) and hybrid is offline",
            hint="run once online to fill the cache, or pass a local file",
        )
    try:
        data = fetch_url(url, timeout=timeout)
        value = parse(data)
    except BackendError as exc:
        if cached is None:
            raise
        stamp = _stamp(cached[1])
        logger.warning("%s; using the expired cached copy from %s", exc.message, stamp)
        return cached[0], f"{exc.message}; using the expired cached copy from {stamp}"
    _store(path, data)
    return value, None


def _read_cache(path: Path, parse: Callable[[bytes], T]) -> tuple[T, float] | None:
    try:
        mtime = path.stat().st_mtime
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return parse(data), mtime
    except BackendError as exc:
        logger.warning("ignoring the unreadable cache file %s: %s", path, exc.message)
        return None


def _store(path: Path, data: bytes) -> None:
    try:
        write_files_atomically({path: data})
    except OutputError as exc:
        logger.warning("%s; the document is not cached", exc.message)


def _stamp(mtime: float) -> str:
    return datetime.fromtimestamp(mtime, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
