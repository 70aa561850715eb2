"""`pylock.toml` (PEP 751): the pip layer of every platform of one variant, for tools that read
the standard lock format (`uv pip install -r pylock.toml`, `packaging.pylock`).

It holds the pip layer only. The conda layer it was compiled against (numpy, torch, … from
conda) is not in it, and the file says which conda lock it belongs to: `[tool.hybrid]` names
each conda file of the variant with its body digest (the sha256 of the file after its header,
which that file records itself as `# body-sha256:`) and the input hash. Install it after the
conda layer, with `uv pip install --no-deps -r pylock.toml`; never with `uv pip sync`, which
removes every package the file does not list, i.e. the whole conda layer.

A package gets one entry per version: the same version on every platform is one entry without
a marker, with the files of every platform; a version found on some platforms only gets a
marker selecting exactly those platforms (`platform_marker`, as requirements.txt). Wheels and
sdists carry their URL and sha256; a git reference pinned to a commit is a `vcs` entry, any
other direct URL an `archive` entry with its hash. `environments` lists the platforms, and
`requires-python` the Python minor version(s) conda solved.

Dependency groups (`groups:` in the spec) are in the same file, as PEP 751 has them: the
top-level `dependency-groups` names them, and each package a group adds carries the marker
`'<group>' in dependency_groups` (with `and` its platform marker when it has one), so an
installer selects base and group when asked for the group (`uv pip install --group dev`,
`Pylock.select(dependency_groups=["dev"])`) and the base alone by default: base packages
have no group marker and `default-groups` is left out (no group is installed by default).

The document is built from `packaging.pylock`'s own types and validated by it before it is
written, so a file that `Pylock.from_dict` would refuse is never written.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from packaging.markers import Marker
from packaging.pylock import (
    Package,
    PackageArchive,
    PackageSdist,
    PackageVcs,
    PackageWheel,
    Pylock,
    PylockValidationError,
)
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from hybrid.emit.requirements_txt import platform_marker
from hybrid.emit.toml_text import render_toml
from hybrid.errors import InternalError
from hybrid.pypi.model import PinnedDistribution, PipArtifact, PipFile, PipLayerResult
from hybrid.redact import redact

CREATED_BY = "hybrid"
LOCK_VERSION = Version("1.0")
_VCS = frozenset({"git", "hg", "svn", "bzr"})
NOTE = (
    "# The pip layer only: install the conda layer first, then\n"
    "#   uv pip install --no-deps -r {name}\n"
    "# Never `uv pip sync` this file: it would remove every conda package.\n"
)


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaLayer:
    """What `[tool.hybrid]` says about the conda lock the pip layer belongs to: the input
    hash, the variant (None for a spec without `cuda:`), and {file name: body digest}."""

    input_hash: str
    variant: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        table: dict[str, Any] = {"input-hash": self.input_hash}
        if self.variant is not None:
            table["variant"] = self.variant
        table["conda-layer-body-sha256"] = dict(sorted(self.files.items()))
        return table


@dataclass(frozen=True, kw_only=True, slots=True)
class PylockGroup:
    """A dependency group's pip layer: the pins it adds to the base, per platform, and the
    files chosen for pins whose resolver named none."""

    name: str
    results: Sequence[PipLayerResult]
    artifacts: Sequence[PipArtifact] = ()


@dataclass(kw_only=True, slots=True)
class _Entry:
    """One package entry being merged: the platforms it holds on and its files by name."""

    pin: PinnedDistribution
    platforms: set[str] = field(default_factory=set)
    files: dict[str, PipFile] = field(default_factory=dict)


def render_pylock(
    results: Sequence[PipLayerResult],
    artifacts: Sequence[PipArtifact],
    *,
    header: Sequence[str],
    conda: CondaLayer,
    name: str = "pylock.toml",
    groups: Sequence[PylockGroup] = (),
) -> str:
    """The text of `pylock.toml` (file `name`) for `results` (one per platform) and
    `groups`, with files from `artifacts` for pins whose resolver named none (pip-tools);
    LF, deterministic."""
    lock = build_pylock(results, artifacts, conda=conda, groups=groups)
    head = "".join(f"{line}\n" for line in header)
    return head + NOTE.format(name=name) + "\n" + render_toml(lock.to_dict())


def build_pylock(
    results: Sequence[PipLayerResult], artifacts: Sequence[PipArtifact], *, conda: CondaLayer,
    groups: Sequence[PylockGroup] = (),
) -> Pylock:
    """The validated `Pylock` of the pip layers `results` and of `groups` (the base may have
    no pip layer when every pip entry is in a group: the platforms are then the groups')."""
    layers = [*results, *(r for group in groups for r in group.results)]
    platforms = {result.target.platform for result in layers}
    packages = [_package(entry, _marker(entry, platforms)) for entry in _merge(results, artifacts)]
    for group in sorted(groups, key=lambda g: g.name):
        packages += [
            _package(entry, _marker(entry, platforms, group=group.name))
            for entry in _merge(group.results, group.artifacts)
        ]
    lock = Pylock(
        lock_version=LOCK_VERSION,
        environments=[Marker(platform_marker([p])) for p in sorted(platforms)] or None,
        requires_python=_requires_python(layers),
        dependency_groups=sorted(canonicalize_name(g.name) for g in groups) or None,
        created_by=CREATED_BY,
        packages=packages,
        tool={"hybrid": conda.to_dict()},
    )
    try:
        lock.validate()
    except PylockValidationError as exc:
        raise InternalError(f"hybrid built an invalid pylock.toml: {exc}") from None
    return lock


def _marker(entry: _Entry, platforms: set[str], *, group: str | None = None) -> str | None:
    """None for an entry of the base on every platform; else the platforms it holds on
    and, for a group's entry, `'<group>' in dependency_groups` (the name normalized, as
    installers compare it)."""
    where = None if entry.platforms == platforms else platform_marker(entry.platforms)
    if group is None:
        return where
    chosen = f"'{canonicalize_name(group)}' in dependency_groups"
    return chosen if where is None else f"{chosen} and ({where})"


def _merge(results: Sequence[PipLayerResult], artifacts: Sequence[PipArtifact]) -> list[_Entry]:
    chosen = {(a.platform, a.name): a for a in artifacts}
    entries: dict[tuple[str, Version, str | None], _Entry] = {}
    for result in results:
        platform = result.target.platform
        for pin in result.pins:
            url = redact(pin.url) if pin.url else None
            entry = entries.setdefault((pin.name, pin.version, url), _Entry(pin=pin))
            entry.platforms.add(platform)
            if url is None:
                for file in _files(pin, chosen.get((platform, pin.name)), platform):
                    known = entry.files.setdefault(file.filename, file)
                    if known.sha256 != file.sha256:
                        raise InternalError(
                            f"{file.filename} has two sha256 digests in the pip layer "
                            f"({known.sha256}, {file.sha256})"
                        )
    return [entries[key] for key in sorted(entries, key=lambda k: (k[0], k[1], k[2] or ""))]


def _files(pin: PinnedDistribution, artifact: PipArtifact | None, platform: str) -> list[PipFile]:
    """The files of `pin` on `platform`: the resolver's, else the one artifact chosen."""
    if pin.files:
        return list(pin.files)
    if artifact is None:
        raise InternalError(f"{pin.name} {pin.version} has no file for {platform} in the lock")
    filename = unquote(posixpath.basename(urlsplit(artifact.url).path))
    return [PipFile(filename=filename, url=artifact.url, sha256=artifact.sha256)]


def _package(entry: _Entry, marker: str | None) -> Package:
    pin = entry.pin
    common: dict[str, Any] = {
        "name": NormalizedName(canonicalize_name(pin.name)),
        "marker": Marker(marker) if marker is not None else None,
    }
    if pin.url is not None:
        return _direct(pin, redact(pin.url), common)
    files = sorted(entry.files.values(), key=lambda f: f.filename)
    sdist = next((f for f in files if not f.is_wheel), None)
    return Package(
        **common,
        version=pin.version,
        index=redact(pin.index_url) if pin.index_url else None,
        wheels=[
            PackageWheel(name=f.filename, url=redact(f.url), hashes={"sha256": f.sha256})
            for f in files
            if f.is_wheel
        ]
        or None,
        sdist=None if sdist is None else PackageSdist(
            name=sdist.filename, url=redact(sdist.url), hashes={"sha256": sdist.sha256}
        ),
    )


def _direct(pin: PinnedDistribution, url: str, common: dict[str, Any]) -> Package:
    """A direct reference: `vcs` for a version-control URL pinned to a commit (no version:
    PEP 751 leaves it out for source trees), else `archive` with its hash."""
    parts = urlsplit(url)
    subdirectory = parse_qs(parts.fragment).get("subdirectory", [None])[0]
    scheme, plus, transport = parts.scheme.partition("+")
    if plus and scheme in _VCS:
        path, at, commit = parts.path.rpartition("@")
        if not at:
            raise InternalError(f"{pin.name} @ {url} is not pinned to a commit")
        source = urlunsplit((transport, parts.netloc, path, parts.query, ""))
        vcs = PackageVcs(type=scheme, url=source, commit_id=commit, subdirectory=subdirectory)
        return Package(**common, vcs=vcs)
    if not pin.hashes:
        raise InternalError(f"{pin.name} @ {url} has no sha256 in the lock")
    archive = PackageArchive(
        url=urlunsplit(parts._replace(fragment="")),
        hashes={"sha256": pin.hashes[0].removeprefix("sha256:")},
        subdirectory=subdirectory,
    )
    return Package(**common, version=pin.version, archive=archive)


def _requires_python(results: Sequence[PipLayerResult]) -> SpecifierSet | None:
    """`==X.Y.*` for the minor version conda solved (a range when platforms differ)."""
    minors = sorted({Version(r.target.python_version).release[:2] for r in results})
    if not minors:
        return None
    low, high = minors[0], minors[-1]
    if low == high:
        return SpecifierSet(f"=={low[0]}.{low[1]}.*")
    return SpecifierSet(f">={low[0]}.{low[1]},<{high[0]}.{high[1] + 1}")
