"""The one file each pip pin installs on each platform (URL, sha256), for `conda-lock.yml`.

Among a pin's files the best-tagged compatible wheel wins, else the sdist (which only a
package the spec lets be built has). uv gives each pin its files (`PinnedDistribution.files`),
so nothing is fetched; a pin without them (pip-tools) carries the hashes of every file of
its version, and its files are the index's (PEP 691 JSON or PEP 503 HTML page, a remote
`find-links` page, a local directory) that have a pinned hash, read concurrently.

Direct references keep their URL. A git reference has no archive hash, so its ``sha256`` is
the commit id, as conda-lock's own pip solver writes it: conda-lock's ``HashModel`` accepts a
pip entry without a hash, but micromamba rejects a lock file in which any package has neither
``md5`` nor ``sha256``; pip ignores a hash fragment on a VCS URL.
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit
from urllib.request import url2pathname

from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from hybrid.errors import BackendError, UnsatisfiableError
from hybrid.platforms import family
from hybrid.pypi import web
from hybrid.pypi.model import (
    IndexOptions,
    PinnedDistribution,
    PipArtifact,
    PipFile,
    PipLayerResult,
    PipTarget,
)
from hybrid.pypi.platforms import facts_for, python_version, target_glibc, target_macos
from hybrid.pypi.simplepages import ACCEPT, SIMPLE_JSON, page_files
from hybrid.pypi.web import Fetch
from hybrid.redact import redact, without_userinfo

__all__ = ["DEFAULT_INDEX", "SIMPLE_JSON", "ArtifactSelector", "IndexFile", "best_file",
           "platform_tags", "select_artifacts", "target_tags"]

DEFAULT_INDEX = "https://pypi.org/simple"
MAX_PARALLEL = 8
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}

IndexFile = PipFile  # one file of a project on an index


def target_tags(target: PipTarget) -> list[Tag]:
    """The wheel tags ``target`` accepts, best first (CPython of the target's version)."""
    version = python_version(target)
    python, cp = (version.major, version.minor), f"cp{version.major}{version.minor}"
    platforms = platform_tags(target)
    return [*cpython_tags(python, [cp], platforms), *compatible_tags(python, cp, platforms)]


def platform_tags(target: PipTarget) -> list[str]:
    """The platform tags of ``target``, best first, down from its oldest glibc or macOS."""
    arch = facts_for(target.platform).tag_arch
    kind = family(target.platform)
    if kind == "win":
        return [f"win_{arch}"]
    if kind == "osx":
        macos = Version(target_macos(target))
        return list(mac_platforms((macos.major, macos.minor), arch))
    tags: list[str] = []
    for level in range(Version(target_glibc(target)).minor, 4, -1):
        tags.append(f"manylinux_2_{level}_{arch}")
        legacy = _LEGACY_MANYLINUX.get(level)
        if legacy and (arch == "x86_64" or level == 17):
            tags.append(f"{legacy}_{arch}")
    return [*tags, f"linux_{arch}"]


def best_file(files: Iterable[PipFile], ranks: dict[Tag, int]) -> PipFile | None:
    """The best-ranked wheel of ``files`` whose tags ``ranks`` holds, else an sdist
    (``.tar.gz`` before ``.zip``), else None."""
    listed = list(files)
    wheels = [(min(ranks.get(t, len(ranks)) for t in parse_wheel_filename(f.filename)[3]),
               f.filename, f) for f in listed if f.is_wheel]
    best = min(wheels, default=None, key=lambda item: item[:2])
    if best is not None and best[0] < len(ranks):
        return best[2]
    sdists = sorted((f for f in listed if not f.is_wheel),
                    key=lambda f: (not f.filename.endswith(".tar.gz"), f.filename))
    return sdists[0] if sdists else None


class ArtifactSelector:
    """Picks the artifacts of pip layers; one instance fetches each project once per index,
    so use one for all the platforms of a run. ``offline`` reads no remote page."""

    def __init__(self, index: IndexOptions, *, timeout: float = 30.0,
                 fetch: Fetch = web.fetch, offline: bool = False) -> None:
        # Indexes first, then find-links (directories, or pages that list files).
        self._indexes = (
            index.index_url or DEFAULT_INDEX, *index.extra_index_urls, *index.find_links
        )
        self._find_links = frozenset(index.find_links)
        self._timeout = timeout
        self._fetch = fetch
        self._offline = offline
        self._files: dict[tuple[str, str], tuple[IndexFile, ...]] = {}

    def select(self, result: PipLayerResult) -> tuple[PipArtifact, ...]:
        """One artifact per pin of ``result``, sorted by name; BackendError when none fits,
        UnsatisfiableError when only the sdist of a package the spec does not let be built
        does."""
        ranks: dict[Tag, int] = {}
        for tag in target_tags(result.target):
            ranks.setdefault(tag, len(ranks))

        def one(pin: PinnedDistribution) -> PipArtifact:
            return self._artifact(pin, result, ranks)

        looked_up = [pin for pin in result.pins if not pin.url and not pin.files]
        fetched: dict[PinnedDistribution, PipArtifact] = {}
        if looked_up:  # pip-tools pins: their files are on the index pages, read concurrently
            with ThreadPoolExecutor(max_workers=MAX_PARALLEL) as pool:
                fetched = dict(zip(looked_up, pool.map(one, looked_up), strict=True))
        chosen = [fetched[pin] if pin in fetched else one(pin) for pin in result.pins]
        return tuple(sorted(chosen, key=lambda artifact: artifact.name))

    def _artifact(self, pin: PinnedDistribution, result: PipLayerResult,
                  ranks: dict[Tag, int]) -> PipArtifact:
        platform = result.target.platform
        if pin.url:
            url, sha256 = _direct(pin, platform)
        else:
            found = best_file(pin.files, ranks) if pin.files else self._best(pin, ranks)
            if found is None:
                where = "uv's answer" if pin.files else ", ".join(
                    redact(index) for index in self._indexes)
                raise BackendError(
                    f"no file of {pin.name} {pin.version} fits {platform}",
                    hint=f"no compatible wheel or sdist with a pinned hash in {where}")
            if not found.is_wheel and pin.name not in result.may_build:
                raise UnsatisfiableError(
                    f"{pin.name} {pin.version} has no wheel for {platform}, only its sdist "
                    f"{found.filename}; the pip layer is wheels only",
                    hint=f"bound {pin.name} to releases with wheels for {platform}, or let "
                    f"hybrid build it at install: `pip-build: [{pin.name}]`")
            url, sha256 = found.url, found.sha256
        return PipArtifact(platform=platform, name=pin.name, version=str(pin.version),
                           url=url, sha256=sha256)

    def _best(self, pin: PinnedDistribution, ranks: dict[Tag, int]) -> IndexFile | None:
        wanted = {digest.removeprefix("sha256:") for digest in pin.hashes}
        for index in self._ordered(pin.index_url):
            found = best_file((f for f in self.files(index, pin.name)
                               if f.sha256 in wanted
                               and _version(f.filename, pin.name) == pin.version), ranks)
            if found is not None:
                return found
        return None

    def _ordered(self, pinned_index: str | None) -> list[str]:
        return sorted(self._indexes, key=lambda index: without_userinfo(index) != pinned_index)

    def project_files(self, name: str) -> tuple[IndexFile, ...]:
        """The files of project ``name`` on every index and find-links source."""
        return tuple(f for index in self._indexes for f in self.files(index, name))

    def files(self, index: str, name: str) -> tuple[IndexFile, ...]:
        """The files of project ``name`` on ``index`` (cached); () when the index lacks it."""
        key = (index, canonicalize_name(name))
        if key not in self._files:
            self._files[key] = self._download(index, key[1])
        return self._files[key]

    def _download(self, index: str, name: str) -> tuple[IndexFile, ...]:
        local = _local_directory(index)
        if local is not None:
            return _local_files(local, name)
        # A find-links page lists the files of many projects; an index has a page per project.
        link = index in self._find_links
        page = without_userinfo(index) if link else (
            f"{without_userinfo(index).rstrip('/')}/{name}/")
        if self._offline:
            raise BackendError(f"offline: the files of {name} are not known without reading "
                               f"{redact(page)}")
        request = urllib.request.Request(page, headers={"Accept": ACCEPT})
        parts = urlsplit(index)
        if parts.username is not None or parts.password is not None:
            secret = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
            request.add_header("Authorization",
                               "Basic " + base64.b64encode(secret.encode()).decode("ascii"))
        try:
            body, content_type = self._fetch(request, self._timeout)
            files = page_files(body, content_type, page)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return ()
            raise BackendError(f"index {page} answered HTTP {exc.code} for {name}") from None
        except (OSError, ValueError, LookupError, TypeError) as exc:
            raise BackendError(f"cannot read {name} from index {page}: "
                               + redact(str(exc))) from None
        return tuple(IndexFile(filename=filename, sha256=sha256,
                               url=without_userinfo(url))
                     for filename, url, sha256 in files
                     if not link or _project(filename) == name)


def select_artifacts(result: PipLayerResult, index: IndexOptions, *,
                     timeout: float = 30.0) -> tuple[PipArtifact, ...]:
    """The artifact each pin of ``result`` installs (a fresh ArtifactSelector's choice)."""
    return ArtifactSelector(index, timeout=timeout).select(result)


def _direct(pin: PinnedDistribution, platform: str) -> tuple[str, str]:
    url = without_userinfo(pin.url or "")
    if pin.hashes:
        return urldefrag(url).url, pin.hashes[0].removeprefix("sha256:")
    commit = urldefrag(url).url.rsplit("@", 1)[-1]
    if urlsplit(url).scheme.startswith("git+") and _COMMIT.fullmatch(commit):
        return url, commit
    raise BackendError(f"{pin.name} @ {url} has no sha256 for {platform}",
                       hint="conda-lock.yml needs a hash for every pip package: use an "
                       "archive URL or a git URL pinned to a commit")


def _version(filename: str, name: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            found, version = parse_wheel_filename(filename)[:2]
        else:  # raises for anything but .tar.gz and .zip
            found, version = parse_sdist_filename(filename)
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return version if found == canonicalize_name(name) else None


def _local_directory(source: str) -> Path | None:
    """The directory a `file://` URL or a plain path names; None for remote sources."""
    parts = urlsplit(source)
    if parts.scheme == "file":
        return Path(url2pathname(parts.path))
    if parts.scheme == "" or (len(parts.scheme) == 1 and source[1:3] in (":\\", ":/")):
        return Path(source)
    return None


def _local_files(directory: Path, name: str) -> tuple[IndexFile, ...]:
    """Distributions of `name` in a local index (`<dir>/<name>/`) or find-links directory."""
    folder = directory / name if (directory / name).is_dir() else directory
    try:
        candidates = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError as exc:
        raise BackendError(f"cannot list {folder}: {exc.strerror or exc}") from None
    found = []
    for path in candidates:
        if _project(path.name) != name:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        found.append(IndexFile(filename=path.name, url=path.resolve().as_uri(), sha256=digest))
    return tuple(found)


def _project(filename: str) -> str | None:
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
