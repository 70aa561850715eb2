"""The extras of the distributions conda provides, from their PyPI release's core metadata.

A stub stands for a conda package's version of a PyPI distribution. So that a dependent's
``google-api-core[grpc]`` adds what that extra needs, the stub declares the extras of the
release at its version and their requirements (`hybrid.pypi.stubs`). They are read from the
core metadata of a wheel of exactly that version (PEP 658, ``<wheel URL>.metadata``, tried
also where the PEP 691 page does not advertise it), on the first http(s) index of the spec
that has the project, as uv picks indexes. A release's metadata never changes: it is cached
under hybrid's cache directory by index, name and version, and a release the index lacks is
remembered for a day. Such a release, or an index without PEP 691 pages or wheel metadata,
gives a stub without extras (logged).

Every stub is read before the compile, as one cannot tell which ones the pip layer will ask
an extra of. Measured on the 2-core test machine against pypi.org, cold cache: the 18 stubs
of conda pytorch + numpy (python 3.11, linux-64), 32 requests and 5.6 MB, in 2.4-5.9 s; the
124 stubs of numpy, scipy, pandas, scikit-learn, matplotlib and jupyterlab, 242 requests and
27 MB, in 14-37 s wall time but 1.2 s of CPU (the rest is waiting: DNS lookups there stall
for 5 s under load); from the cache, 0.01-0.06 s. Without one shared TLS context the CPU
cost was 7 s, most of it loading the CA store once per request.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import os
import re
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from packaging.metadata import parse_email
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_wheel_filename,
)
from packaging.version import Version

from hybrid.cache import cache_dir as default_cache_dir
from hybrid.errors import BackendError
from hybrid.pypi import web
from hybrid.pypi.artifacts import DEFAULT_INDEX
from hybrid.pypi.model import IndexOptions, ProvidedDistribution
from hybrid.pypi.web import Fetch
from hybrid.redact import redact, without_userinfo

log = logging.getLogger(__name__)

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
MAX_PARALLEL = 8
TIMEOUT = 30.0
#: Tries of one request when the connection fails or the server answers 5xx (uv: 3 too).
ATTEMPTS = 3
RETRY_SECONDS = 0.25
#: How long "this index has no such release" is believed.
MISSING_FOR_SECONDS = 24 * 3600
_WHEELS_TRIED = 2
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_EXTRA = re.compile(r"\bextra\b")



class Missing(Enum):
    """What an index lacks: the project (the next index may have it) or the release's
    wheel metadata (uv takes a project from its first index only, so no further index)."""

    PROJECT = "project"
    RELEASE = "release"


@dataclass(frozen=True, kw_only=True, slots=True)
class ReleaseExtras:
    """The extras a release declares (PEP 685 names) and the requirements that name one."""

    extras: tuple[NormalizedName, ...] = ()
    requires: tuple[Requirement, ...] = ()


def release_extras(metadata: str) -> ReleaseExtras:
    """The extras of a core metadata document; a malformed requirement is left out."""
    raw, _ = parse_email(metadata)
    requires: list[Requirement] = []
    for line in raw.get("requires_dist", []):
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            log.info("ignoring malformed Requires-Dist %r", line)
            continue
        if requirement.marker is not None and names_extra(str(requirement.marker)):
            requires.append(requirement)
    extras = sorted({canonicalize_name(e) for e in raw.get("provides_extra", [])})
    return ReleaseExtras(extras=tuple(extras), requires=tuple(requires))


def names_extra(marker: str) -> bool:
    """Whether a PEP 508 marker tests the `extra` variable (outside its quoted literals)."""
    return _EXTRA.search(_QUOTED.sub("", marker)) is not None


class ExtrasReader:
    """Fills in the extras of provided distributions; one instance reads each release once,
    so share it between the platforms of a run (it is thread-safe)."""

    def __init__(
        self,
        index: IndexOptions,
        *,
        cache_dir: Path | None = None,
        offline: bool = False,
        fetch: Fetch = web.fetch,
    ) -> None:
        self._indexes = (index.index_url or DEFAULT_INDEX, *index.extra_index_urls)
        self._cache = (cache_dir or default_cache_dir()) / "pypi-extras"
        self._offline = offline
        self._fetch = fetch
        self._lock = threading.Lock()
        self._known: dict[tuple[str, str], Future[ReleaseExtras | None]] = {}

    def add_extras(
        self, provided: Mapping[str, ProvidedDistribution]
    ) -> dict[str, ProvidedDistribution]:
        """`provided` with each distribution's extras read from its release."""
        with ThreadPoolExecutor(max_workers=MAX_PARALLEL) as pool:
            futures = {name: self._future(dist, pool) for name, dist in provided.items()}
            found = {name: future.result() for name, future in futures.items()}
        return {name: _with(dist, found[name]) for name, dist in provided.items()}

    def _future(
        self, dist: ProvidedDistribution, pool: ThreadPoolExecutor
    ) -> Future[ReleaseExtras | None]:
        version = dist.pep440
        if version is None:
            done: Future[ReleaseExtras | None] = Future()
            done.set_result(None)
            return done
        key = (str(canonicalize_name(dist.pypi_name)), version.public)
        with self._lock:
            future = self._known.get(key)
            if future is None:
                future = pool.submit(self._read, *key)
                self._known[key] = future
            return future

    def _read(self, name: str, version: str) -> ReleaseExtras | None:
        for index in self._indexes:
            if urlsplit(index).scheme not in ("http", "https"):
                continue  # a local index: its wheels are the spec author's own
            cached = self._cache / _digest(without_userinfo(index)) / f"{name}-{version}.json"
            known = _read_cache(cached)
            if known is None:
                if self._offline:
                    return None
                known = self._fetched(index, name, Version(version))
                _write_cache(cached, known)
            if known is Missing.RELEASE:
                log.info("no wheel metadata of %s %s on %s: its stub declares no extras",
                         name, version, without_userinfo(index))
                return None
            if isinstance(known, ReleaseExtras):
                return known
        return None  # no index has the project

    def _fetched(self, index: str, name: str, version: Version) -> ReleaseExtras | Missing:
        wheels = self._release_wheels(index, name, version)
        if wheels is None:
            return Missing.PROJECT
        return self._metadata(index, wheels) or Missing.RELEASE

    def _release_wheels(self, index: str, name: str, version: Version) -> list[str] | None:
        """The URLs of the release's wheels on `index`, those advertising their metadata
        first; None when the index lacks the project."""
        page = f"{without_userinfo(index).rstrip('/')}/{name}/"
        answer = self._get(page, index, accept=SIMPLE_JSON)
        if answer is None:
            return None
        body, kind = answer
        if not kind.endswith("json"):
            log.info("index %s answered %s, not PEP 691 JSON: no extras for %s", page, kind, name)
            return []
        try:
            files = json.loads(body)["files"]
            chosen = [f for f in files if _is_wheel_of(str(f["filename"]), name, version)]
            if not chosen:  # a file name that spells the version another way (1.0 / 1.0.0)
                chosen = [f for f in files
                          if _is_wheel_of(str(f["filename"]), name, version, quick=False)]
            chosen.sort(key=lambda f: (not f.get("core-metadata"), str(f["filename"])))
            return [urldefrag(urljoin(page, str(f["url"]))).url for f in chosen]
        except (ValueError, LookupError, TypeError) as exc:
            raise BackendError(f"index {page} answered an unreadable page for {name}: "
                               f"{exc}") from None

    def _metadata(self, index: str, wheels: list[str]) -> ReleaseExtras | None:
        for wheel in wheels[:_WHEELS_TRIED]:
            answer = self._get(wheel + ".metadata", index)
            if answer is not None:
                return release_extras(answer[0].decode("utf-8", errors="replace"))
        return None

    def _get(self, url: str, index: str, *, accept: str | None = None) -> tuple[bytes, str] | None:
        """The body and content type at `url`, None for a 404; a connection failure or a
        5xx answer is tried `ATTEMPTS` times in all, then a BackendError."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._fetch(_request(url, index, accept=accept), TIMEOUT)
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    return None
                if exc.code < 500 or attempt == ATTEMPTS:
                    raise BackendError(f"{redact(url)} answered HTTP {exc.code}") from None
            except (OSError, http.client.HTTPException) as exc:
                if attempt == ATTEMPTS:
                    raise BackendError(f"cannot read {redact(url)}: "
                                       + redact(str(exc))) from None
            time.sleep(RETRY_SECONDS * attempt)
        raise AssertionError("unreachable")


def _with(dist: ProvidedDistribution, found: ReleaseExtras | None) -> ProvidedDistribution:
    if found is None:
        return dist
    return replace(dist, extras=found.extras, extra_requires=found.requires)


def _request(url: str, index: str, *, accept: str | None = None) -> urllib.request.Request:
    """A GET of `url` with the index's credentials (files may live on another host: only
    URLs on the index's host get them)."""
    request = urllib.request.Request(url, headers={"User-Agent": "hybrid"})
    if accept:
        request.add_header("Accept", accept)
    parts = urlsplit(index)
    if (parts.username or parts.password) and urlsplit(url).hostname == parts.hostname:
        secret = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
        request.add_header("Authorization",
                           "Basic " + base64.b64encode(secret.encode()).decode("ascii"))
    return request


def _is_wheel_of(filename: str, name: str, version: Version, *, quick: bool = True) -> bool:
    """Whether `filename` is a wheel of `name` `version`; `quick` first looks for the
    version's usual spelling (most files of a big project belong to other releases)."""
    if not filename.endswith(".whl") or (quick and f"-{version}-" not in filename):
        return False
    try:
        found, parsed, *_ = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return False
    return found == name and parsed == version


def _digest(index: str) -> str:
    return hashlib.sha256(index.rstrip("/").encode("utf-8")).hexdigest()[:16]


def _read_cache(path: Path) -> ReleaseExtras | Missing | None:
    """What the cache knows (a missing project or release only for a day); None: nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if "missing" in data:
            fresh = time.time() - float(data["checked"]) < MISSING_FOR_SECONDS
            return Missing(data["missing"]) if fresh else None
        return ReleaseExtras(
            extras=tuple(canonicalize_name(e) for e in data["extras"]),
            requires=tuple(Requirement(r) for r in data["requires"]),
        )
    except (OSError, ValueError, LookupError, TypeError, InvalidRequirement):
        return None


def _write_cache(path: Path, found: ReleaseExtras | Missing) -> None:
    data: dict[str, object] = (
        {"missing": found.value, "checked": time.time()}
        if isinstance(found, Missing)
        else {"extras": list(found.extras), "requires": [str(r) for r in found.requires]}
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
        ) as out:
            out.write(json.dumps(data, sort_keys=True) + "\n")
        os.replace(out.name, path)
    except OSError as exc:  # a read-only cache costs a fetch next time, nothing else
        log.info("cannot cache %s: %s", path, exc)


# uv 0.13: warning: The package `google-api-core==2.24.0+conda` does not have an extra named `grpc`
# pip:     WARNING: google-api-core 2.24.0+conda does not provide the extra 'grpc'
_MISSING_EXTRA = (
    re.compile(
        r"The package `(?P<name>[^=`\s]+)==[^`]*` does not have an extra named `(?P<extra>[^`]+)`"
    ),
    re.compile(r"(?P<name>[A-Za-z0-9._-]+) \S+ does not provide the extra '(?P<extra>[^']+)'"),
)


def missing_extras(stderr: str) -> tuple[tuple[str, str], ...]:
    """(name, extra) pairs the resolver said a distribution does not declare."""
    found = {
        (str(canonicalize_name(m["name"])), m["extra"])
        for pattern in _MISSING_EXTRA
        for m in pattern.finditer(stderr)
    }
    return tuple(sorted(found))
