"""The one file each pip pin installs on each platform (URL, sha256), for `conda-lock.yml`.

A pin carries the hashes of every file of its version. Among the files with a pinned hash in
the index's PEP 691 list, the best-tagged compatible wheel wins, else the sdist.

Direct references keep their URL. A git reference has no archive hash, so its ``sha256`` is
the commit id, as conda-lock's own pip solver writes it: conda-lock's ``HashModel`` accepts a
pip entry without a hash, but micromamba rejects a lock file in which any package has neither
``md5`` nor ``sha256``; pip ignores a hash fragment on a VCS URL.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
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

from hybrid.errors import BackendError
from hybrid.platforms import family
from hybrid.pypi.credentials import redact_text, strip_credentials
from hybrid.pypi.model import (
    IndexOptions,
    PinnedDistribution,
    PipArtifact,
    PipLayerResult,
    PipTarget,
)
from hybrid.pypi.platforms import facts_for, python_version, target_glibc, target_macos

DEFAULT_INDEX = "https://pypi.org/simple"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}

Fetch = Callable[[urllib.request.Request, float], tuple[bytes, str]]  # -> body, content type


@dataclass(frozen=True, slots=True)
class IndexFile:
    """One file of a project on an index; ``url`` has no credentials and no fragment."""

    filename: str
    url: str
    sha256: str


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


def _urlopen(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read(), response.headers.get_content_type()


class ArtifactSelector:
    """Picks the artifacts of pip layers; one instance fetches each project once per index,
    so use one for all the platforms of a run."""

    def __init__(self, index: IndexOptions, *, timeout: float = 30.0,
                 fetch: Fetch = _urlopen) -> None:
        # Indexes first, then find-links (local directories of distributions).
        self._indexes = (
            index.index_url or DEFAULT_INDEX, *index.extra_index_urls, *index.find_links
        )
        self._timeout = timeout
        self._fetch = fetch
        self._files: dict[tuple[str, str], tuple[IndexFile, ...]] = {}

    def select(self, result: PipLayerResult) -> tuple[PipArtifact, ...]:
        """One artifact per pin of ``result``, sorted by name; BackendError when none fits."""
        ranks: dict[Tag, int] = {}
        for tag in target_tags(result.target):
            ranks.setdefault(tag, len(ranks))
        platform = result.target.platform
        chosen = [self._artifact(pin, platform, ranks) for pin in result.pins]
        return tuple(sorted(chosen, key=lambda artifact: artifact.name))

    def _artifact(self, pin: PinnedDistribution, platform: str,
                  ranks: dict[Tag, int]) -> PipArtifact:
        if pin.url:
            url, sha256 = _direct(pin, platform)
        else:
            found = self._best(pin, ranks)
            if found is None:
                where = ", ".join(strip_credentials(index) for index in self._indexes)
                raise BackendError(
                    f"no file of {pin.name} {pin.version} fits {platform}",
                    hint=f"no compatible wheel or sdist with a pinned hash on {where}")
            url, sha256 = found.url, found.sha256
        return PipArtifact(platform=platform, name=pin.name, version=str(pin.version),
                           url=url, sha256=sha256)

    def _best(self, pin: PinnedDistribution, ranks: dict[Tag, int]) -> IndexFile | None:
        wanted = {digest.removeprefix("sha256:") for digest in pin.hashes}
        for index in self._ordered(pin.index_url):
            files = [f for f in self.files(index, pin.name)
                     if f.sha256 in wanted and _version(f.filename, pin.name) == pin.version]
            wheels = [(min(ranks.get(t, len(ranks)) for t in parse_wheel_filename(f.filename)[3]),
                       f.filename, f) for f in files if f.filename.endswith(".whl")]
            best = min(wheels, default=None, key=lambda item: item[:2])
            if best is not None and best[0] < len(ranks):
                return best[2]
            sdists = sorted((f for f in files if not f.filename.endswith(".whl")),
                            key=lambda f: (not f.filename.endswith(".tar.gz"), f.filename))
            if sdists:
                return sdists[0]
        return None

    def _ordered(self, pinned_index: str | None) -> list[str]:
        return sorted(self._indexes, key=lambda index: strip_credentials(index) != pinned_index)

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
        page = f"{strip_credentials(index).rstrip('/')}/{name}/"
        request = urllib.request.Request(page, headers={"Accept": SIMPLE_JSON})
        parts = urlsplit(index)
        if parts.username is not None or parts.password is not None:
            secret = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
            request.add_header("Authorization",
                               "Basic " + base64.b64encode(secret.encode()).decode("ascii"))
        try:
            body, content_type = self._fetch(request, self._timeout)
            if not content_type.endswith("json"):
                raise ValueError(f"answered {content_type}, not the PEP 691 {SIMPLE_JSON}")
            files = [(f["filename"], f["url"], f["hashes"]["sha256"])
                     for f in json.loads(body)["files"] if "sha256" in f.get("hashes", {})]
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return ()
            raise BackendError(f"index {page} answered HTTP {exc.code} for {name}") from None
        except (OSError, ValueError, LookupError, TypeError) as exc:
            raise BackendError(f"cannot read {name} from index {page}: "
                               + redact_text(str(exc))) from None
        return tuple(IndexFile(filename=filename, sha256=sha256,
                               url=urldefrag(strip_credentials(urljoin(page, url))).url)
                     for filename, url, sha256 in files)


def select_artifacts(result: PipLayerResult, index: IndexOptions, *,
                     timeout: float = 30.0) -> tuple[PipArtifact, ...]:
    """The artifact each pin of ``result`` installs (a fresh ArtifactSelector's choice)."""
    return ArtifactSelector(index, timeout=timeout).select(result)


def _direct(pin: PinnedDistribution, platform: str) -> tuple[str, str]:
    url = strip_credentials(pin.url or "")
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
