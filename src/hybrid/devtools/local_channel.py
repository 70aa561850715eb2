"""Build small but real conda channels on disk, for tests and the offline demo.

A :class:`PackageSpec` describes one package; :func:`build_channel` writes each as a real
``.tar.bz2`` conda package (``info/index.json``, ``info/paths.json``, ``info/files`` and the
payload) and indexes the channel with :func:`rattler.index.index_fs`, so every subdir gets a
``repodata.json`` that rattler can solve against and install from.

Archives are reproducible: members are sorted, owners and permissions are fixed and every
member's mtime is the package timestamp (or a fixed date), so building the same packages twice
gives byte-identical archives with identical sha256.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Literal

import rattler
import rattler.exceptions
import rattler.index

from hybrid.atomic import write_files_atomically
from hybrid.platforms import FACTS

__all__ = [
    "SUBDIRS",
    "NoArch",
    "PackageSpec",
    "build_channel",
    "write_package",
]

NoArch = Literal["python", "generic"]

#: The subdirs every channel built here has (each gets a repodata.json, empty or not).
SUBDIRS: tuple[str, ...] = (
    "noarch",
    "linux-64",
    "linux-aarch64",
    "osx-64",
    "osx-arm64",
    "win-64",
)

#: mtime of archive members when a package has no timestamp: 2024-01-01T00:00:00Z.
_DEFAULT_MTIME = 1_704_067_200
_REPODATA_FILES = ("repodata.json", "repodata.json.zst", "repodata_shards.msgpack.zst")


@dataclass(frozen=True, kw_only=True, slots=True)
class PackageSpec:
    """One conda package to build: its ``index.json`` fields and its payload files.

    ``subdir="noarch"`` without ``noarch`` means ``noarch="generic"``. ``files`` maps paths
    relative to the prefix (``site-packages/...`` for noarch python packages, as conda-build
    writes them) to text content; when omitted the package ships one small file.
    """

    name: str
    version: str
    build: str = "0"
    build_number: int = 0
    subdir: str = "noarch"
    depends: tuple[str, ...] = ()
    constrains: tuple[str, ...] = ()
    timestamp: int | None = None
    noarch: NoArch | None = None
    files: Mapping[str, str] | None = field(default=None, hash=False)
    track_features: tuple[str, ...] = ()
    license: str | None = None
    summary: str | None = None

    def __post_init__(self) -> None:
        if self.subdir not in SUBDIRS:
            raise ValueError(f"{self.name}: unknown subdir {self.subdir!r}")
        if self.subdir == "noarch" and self.noarch is None:
            object.__setattr__(self, "noarch", "generic")
        if self.noarch is not None and self.subdir != "noarch":
            raise ValueError(f"{self.name}: noarch={self.noarch!r} needs subdir 'noarch'")
        if self.timestamp is not None and self.timestamp < 0:
            raise ValueError(f"{self.name}: timestamp must be milliseconds since the epoch")
        _parse(self.name, "name", rattler.PackageName, self.name)
        _parse(self.name, "version", rattler.Version, self.version)
        for spec in (*self.depends, *self.constrains):
            _parse(self.name, "match spec", rattler.MatchSpec, spec)
        if self.files is not None:
            for path in self.files:
                _check_relative(self.name, path)
            object.__setattr__(self, "files", MappingProxyType(dict(sorted(self.files.items()))))

    @property
    def filename(self) -> str:
        """The archive's file name, ``<name>-<version>-<build>.tar.bz2``."""
        return f"{self.name}-{self.version}-{self.build}.tar.bz2"

    def payload(self) -> Mapping[str, str]:
        """The files the package installs, relative to the prefix."""
        if self.files is not None:
            return self.files
        if self.noarch == "python":
            module = self.name.replace("-", "_").replace(".", "_")
            return {f"site-packages/{module}/__init__.py": f'__version__ = "{self.version}"\n'}
        return {f"share/{self.name}/README": f"{self.name} {self.version} ({self.build})\n"}

    def index_json(self) -> dict[str, Any]:
        """The content of ``info/index.json``."""
        facts = FACTS.get(self.subdir)  # None for noarch
        platform, arch = (facts.family, facts.machine) if facts else (None, None)
        index: dict[str, Any] = {
            "arch": arch,
            "build": self.build,
            "build_number": self.build_number,
            "constrains": list(self.constrains),
            "depends": list(self.depends),
            "name": self.name,
            "platform": platform,
            "subdir": self.subdir,
            "version": self.version,
        }
        if self.noarch is not None:
            index["noarch"] = self.noarch
        if self.timestamp is not None:
            index["timestamp"] = self.timestamp
        if self.track_features:
            index["track_features"] = " ".join(self.track_features)
        if self.license is not None:
            index["license"] = self.license
        return index


def _parse(package: str, what: str, parser: Callable[[str], object], text: str) -> None:
    try:
        parser(text)
    except (
        rattler.exceptions.InvalidPackageNameError,
        rattler.exceptions.InvalidVersionError,
        rattler.exceptions.InvalidMatchSpecError,
    ) as error:
        raise ValueError(f"{package}: invalid {what} {text!r}: {error}") from error


def _check_relative(name: str, path: str) -> None:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or str(pure) != path:
        raise ValueError(f"{name}: file path {path!r} must be a normalized relative POSIX path")
    if pure.parts[0] == "info":
        raise ValueError(f"{name}: file path {path!r} may not be inside info/")


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True) + "\n").encode()


def _metadata(spec: PackageSpec, payload: Mapping[str, bytes]) -> dict[str, bytes]:
    paths = [
        {
            "_path": path,
            "path_type": "hardlink",
            "sha256": hashlib.sha256(data).hexdigest(),
            "size_in_bytes": len(data),
        }
        for path, data in sorted(payload.items())
    ]
    info = {
        "info/index.json": _json_bytes(spec.index_json()),
        "info/paths.json": _json_bytes({"paths": paths, "paths_version": 1}),
        "info/files": "".join(f"{path}\n" for path in sorted(payload)).encode(),
    }
    if spec.summary is not None or spec.license is not None:
        about = {"license": spec.license, "summary": spec.summary}
        info["info/about.json"] = _json_bytes({k: v for k, v in about.items() if v is not None})
    if spec.noarch == "python":
        link = {"noarch": {"type": "python"}, "package_metadata_version": 1}
        info["info/link.json"] = _json_bytes(link)
    return info


def _archive(members: Mapping[str, bytes], mtime: int) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:bz2", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(members):
            data = members[path]
            member = tarfile.TarInfo(path)
            member.size = len(data)
            member.mtime = mtime
            member.mode = 0o755 if path.startswith(("bin/", "Scripts/")) else 0o644
            member.uid = member.gid = 0
            member.uname = member.gname = ""
            tar.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def write_package(spec: PackageSpec, directory: Path) -> Path:
    """Write ``spec`` as a ``.tar.bz2`` conda package into ``directory``; return its path."""
    payload = {path: text.encode() for path, text in spec.payload().items()}
    members = {**payload, **_metadata(spec, payload)}
    mtime = _DEFAULT_MTIME if spec.timestamp is None else spec.timestamp // 1000
    target = Path(directory) / spec.filename
    target.write_bytes(_archive(members, mtime))
    return target


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run ``coroutine`` to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _clean(root: Path) -> None:
    for subdir in SUBDIRS:
        directory = root / subdir
        for pattern in ("*.tar.bz2", "*.conda", *_REPODATA_FILES):
            for stale in directory.glob(pattern):
                stale.unlink()


def build_channel(root: Path, packages: Iterable[PackageSpec], *, clean: bool = False) -> Path:
    """Build a conda channel at ``root`` holding ``packages`` and index it; return ``root``.

    Every subdir in :data:`SUBDIRS` exists afterwards and has a ``repodata.json``. Packages
    already in ``root`` stay (and are indexed too) unless ``clean`` is true, which first removes
    the package archives and repodata files of those subdirs.
    """
    root = Path(root)
    for subdir in SUBDIRS:
        (root / subdir).mkdir(parents=True, exist_ok=True)
    if clean:
        _clean(root)
    written: set[tuple[str, str]] = set()
    for spec in packages:
        key = (spec.subdir, spec.filename)
        if key in written:
            raise ValueError(f"package {spec.subdir}/{spec.filename} is given twice")
        written.add(key)
        write_package(spec, root / spec.subdir)
    _run(rattler.index.index_fs(root, write_zst=False, write_shards=False, force=True))
    for subdir in SUBDIRS:
        _pin_indexed_timestamps(root / subdir / "repodata.json")
    _remove_if_empty(root / ".tmp")
    return root


def _pin_indexed_timestamps(repodata: Path) -> None:
    """Make ``indexed_timestamp`` the build ``timestamp`` and rewrite the file sorted.

    ``index_fs`` stamps every record with the wall-clock time of indexing, which the solver
    prefers over ``timestamp`` for ``exclude_newer``: a snapshot date would then hide the whole
    channel, and two builds would differ. Records without a timestamp get neither.
    """
    data = json.loads(repodata.read_text(encoding="utf-8"))
    for key in ("packages", "packages.conda"):
        for record in data.get(key, {}).values():
            record.pop("indexed_timestamp", None)
            if "timestamp" in record:
                record["indexed_timestamp"] = record["timestamp"]
    write_files_atomically({repodata: _json_bytes(data)})


def _remove_if_empty(directory: Path) -> None:
    with contextlib.suppress(OSError):
        directory.rmdir()
