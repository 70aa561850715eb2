"""The pip layer from uv's own answer: the pylock.toml (PEP 751) of `uv pip compile`.

For each pinned version uv lists the files it resolved for the target (checked with uv
0.13.9): only the wheels whose tags `--python-platform`/`--python-version` accept (numpy
2.2.6 for `x86_64-manylinux_2_17`: 1 of its 55 files), and the sdist unless building the
package is disabled (`--only-binary :all:`, `--only-binary <name>`). Every file has its URL
(or local path) and sha256, so no index page is read again. uv writes no `index` per package;
the index a pin came from is told from its files' URLs (`index_of`).

Direct references: a `vcs` entry (URL and commit id) or an `archive` (URL or path, sha256)
is pinned from the lock; a `directory` has no version there, so pip is asked
(`pin_direct_references`). Stubs of the conda layer (`+conda` versions) are left out.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from packaging.pylock import (
    Package,
    PackageArchive,
    PackageVcs,
    Pylock,
    PylockValidationError,
)
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hybrid.errors import BackendError
from hybrid.pypi.directrefs import pin_direct_references
from hybrid.pypi.model import IndexOptions, PinnedDistribution, PipFile
from hybrid.pypi.stubs import is_stub_version
from hybrid.redact import redact

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYLOCK_NAME = "pylock.toml"  # uv insists on this name (or pylock.<name>.toml) for the format
# PyPI serves the files of https://pypi.org/simple from this host.
_FILE_HOSTS = {"files.pythonhosted.org": "pypi.org"}


def read_pylock(path: Path) -> Pylock:
    """The validated lock at ``path``; BackendError when uv wrote something else."""
    try:
        return Pylock.from_dict(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, PylockValidationError) as exc:
        raise BackendError(f"cannot read the pylock.toml uv wrote: {redact(str(exc))}") from None


def write_preferences(pins: Iterable[PinnedDistribution], path: Path) -> Path:
    """Previous pins as a pylock.toml of names and versions: uv keeps the pins of an existing
    output file where it can (direct references are left to the spec). Without files the
    packages are no valid PEP 751 lock, but uv 0.13.9 reads them as preferences."""
    lines = ['lock-version = "1.0"', 'created-by = "hybrid"']
    for pin in sorted((p for p in pins if p.url is None), key=lambda p: p.name):
        lines += ["", "[[packages]]", f"name = {json.dumps(pin.name)}",
                  f"version = {json.dumps(str(pin.version))}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def layer_pins(
    lock: Pylock,
    *,
    may_build: Collection[str],
    indexes: Sequence[str],
    index: IndexOptions,
    workdir: Path,
    elsewhere: str | None = None,
) -> tuple[PinnedDistribution, ...]:
    """The pins of ``lock`` sorted by name, each with its files: every wheel uv listed, and
    the sdist only for a name in ``may_build`` (so a pin of another name may have none).
    ``indexes`` are the spec's index URLs; a pin with remote files on none of their hosts
    came from ``elsewhere`` (the variant's PyTorch index, which may serve its files from
    another host)."""
    pins: list[PinnedDistribution] = []
    folders: list[Requirement] = []
    for package in lock.packages:
        name = canonicalize_name(package.name)
        if package.version is not None and is_stub_version(package.version):
            continue
        if package.vcs or package.directory or package.archive:
            pin = _direct(package, workdir)
            if pin is None:
                folders.append(Requirement(f"{name} @ {_location(package, workdir)}"))
            else:
                pins.append(pin)
            continue
        files = _files(package, sdist=name in may_build, workdir=workdir)  # may be none
        if package.version is None:
            raise BackendError(f"uv pinned {name} without a version")
        pins.append(PinnedDistribution(
            name=name, version=package.version, files=files,
            hashes=tuple(sorted({f"sha256:{f.sha256}" for f in files})),
            index_url=index_of([f.url for f in files], indexes) or (
                elsewhere if files and all(_remote(f.url) for f in files) else None),
        ))
    for name, found in pin_direct_references(folders, index, workdir=workdir).items():
        pins.append(PinnedDistribution(name=name, version=found.version, hashes=found.hashes,
                                       url=redact(found.url)))
    return tuple(sorted(pins, key=lambda pin: pin.name))


def index_of(urls: Iterable[str], indexes: Sequence[str]) -> str | None:
    """The index (URL without credentials) files at ``urls`` came from: the one on their host
    whose path shares the longest prefix with theirs; None when no index is on that host."""
    best: tuple[int, str] | None = None
    for url in urls:
        parts = urlsplit(url)
        host = (_FILE_HOSTS.get(parts.hostname or "", parts.hostname), parts.port)
        for candidate in indexes:
            clean = redact(candidate).rstrip("/")
            known = urlsplit(clean)
            if (known.hostname, known.port) != host:
                continue
            shared = _shared_segments(known.path, parts.path)
            if best is None or shared > best[0]:
                best = (shared, clean)
    return None if best is None else best[1]


def _remote(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def _shared_segments(first: str, second: str) -> int:
    count = 0
    for a, b in zip(first.split("/"), second.split("/"), strict=False):
        if a != b:
            break
        count += 1
    return count


def _files(package: Package, *, sdist: bool, workdir: Path) -> tuple[PipFile, ...]:
    listed: list[Any] = list(package.wheels or ())
    if sdist and package.sdist is not None:
        listed.append(package.sdist)
    files = []
    for entry in listed:
        sha256 = entry.hashes.get("sha256")
        if not sha256:
            continue
        url = _url(entry.url, entry.path, workdir)
        filename = entry.name or unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        files.append(PipFile(filename=filename, url=url, sha256=str(sha256)))
    return tuple(sorted(files, key=lambda f: (f.filename, f.url)))


def _direct(package: Package, workdir: Path) -> PinnedDistribution | None:
    """A VCS or archive reference pinned from the lock; None for one pip must read."""
    name, version = canonicalize_name(package.name), package.version
    source = package.vcs or package.archive
    if version is None or source is None:
        return None
    hashes: tuple[str, ...] = ()
    if isinstance(source, PackageArchive) and source.hashes.get("sha256"):
        hashes = (f"sha256:{source.hashes['sha256']}",)
    return PinnedDistribution(name=name, version=version, hashes=hashes,
                              url=_location(package, workdir))


def _location(package: Package, workdir: Path) -> str:
    """The URL pip installs a direct reference from; a VCS URL is pinned to its commit."""
    if isinstance(package.vcs, PackageVcs):
        vcs = package.vcs
        url = f"{vcs.type}+{_url(vcs.url, vcs.path, workdir)}@{vcs.commit_id}"
        return url + (f"#subdirectory={vcs.subdirectory}" if vcs.subdirectory else "")
    if package.archive is not None:
        url = _url(package.archive.url, package.archive.path, workdir)
        subdirectory = package.archive.subdirectory
        return url + (f"#subdirectory={subdirectory}" if subdirectory else "")
    assert package.directory is not None  # the lock validated: one source per package
    return _url(None, package.directory.path, workdir)


def _url(url: str | None, path: str | None, workdir: Path) -> str:
    """A file's URL without credentials or fragment; a path (relative to the lock) as a
    `file://` URL."""
    if url is not None:
        return redact(urldefrag(url).url)
    if path is None:
        raise BackendError("uv wrote a pylock.toml entry with neither a URL nor a path")
    local = Path(path)
    return (local if local.is_absolute() else workdir / local).as_uri()
