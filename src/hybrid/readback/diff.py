"""What changed between two sets of locks: packages added, removed, upgraded, downgraded or
rebuilt, per variant, platform and layer. Reads `conda-lock.yml` files with hybrid's own reader
(`readback.conda_lock_file`); never solves, never prints.

A side of the comparison is a `conda-lock.yml` file (variant "default") or an output directory:
its own `conda-lock.yml` (variant "default") and those of its immediate subfolders (variant =
subfolder name). When each side holds exactly one lock the two are compared whatever their
variant names, so `a/cuda-12.6/conda-lock.yml` can be compared with `b/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion
from packaging.version import Version as PipVersion

from hybrid.emit.conda_lock_model import LockPackage
from hybrid.emit.layout import CONDA_LOCK_YML
from hybrid.errors import UsageError
from hybrid.readback.conda_lock_file import read_conda_lock

Layer = Literal["conda", "pip"]
ChangeKind = Literal["added", "removed", "upgraded", "downgraded", "rebuilt"]
CHANGE_KINDS: tuple[ChangeKind, ...] = get_args(ChangeKind)
DEFAULT_VARIANT = "default"
MAIN = "main"


@dataclass(frozen=True, kw_only=True, slots=True)
class LockedPackage:
    """One locked artifact as the comparison sees it."""

    version: str
    build: str | None = None
    url: str = ""
    md5: str | None = None
    sha256: str | None = None
    #: conda match specs (`name constraint`) the lock records; not part of the comparison
    depends: tuple[str, ...] = field(default=(), compare=False)

    def same_artifact(self, other: LockedPackage) -> bool:
        """Same file: same URL and no hash both sides record that differs."""
        return (
            self.url == other.url
            and _agree(self.md5, other.md5)
            and _agree(self.sha256, other.sha256)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "build": self.build,
            "url": self.url,
            "md5": self.md5,
            "sha256": self.sha256,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class PackageChange:
    variant: str
    platform: str
    layer: Layer
    name: str
    kind: ChangeKind
    old: LockedPackage | None
    new: LockedPackage | None
    #: the conda-lock category: `main` (the base) or a dependency group's name
    group: str = MAIN

    @property
    def sort_key(self) -> tuple[str, str, bool, str, str, str]:
        """Base packages first, then each group's, per platform."""
        return (self.variant, self.platform, self.group != MAIN, self.group, self.layer, self.name)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "variant": self.variant,
            "platform": self.platform,
            "layer": self.layer,
            "name": self.name,
            "change": self.kind,
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
        }
        return out if self.group == MAIN else {**out, "group": self.group}


@dataclass(frozen=True, kw_only=True, slots=True)
class LockDiff:
    """The changes from `old` to `new`, sorted by (variant, platform, layer, name)."""

    old: Path
    new: Path
    variants: tuple[str, ...]
    changes: tuple[PackageChange, ...]

    @property
    def identical(self) -> bool:
        return not self.changes

    def counts(self) -> dict[ChangeKind, int]:
        return {kind: sum(c.kind == kind for c in self.changes) for kind in CHANGE_KINDS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": str(self.old),
            "new": str(self.new),
            "variants": list(self.variants),
            "identical": self.identical,
            "counts": dict(self.counts()),
            "changes": [c.to_dict() for c in self.changes],
        }


# (platform, layer, key, category) -> (display name, package); key is the name, canonical for
# pip; category is conda-lock's: `main`, or the dependency group that adds the package
Packages = dict[tuple[str, Layer, str, str], tuple[str, LockedPackage]]


def diff_paths(old: Path, new: Path) -> LockDiff:
    """Compare the locks found at two paths (files or output directories)."""
    old_sets, new_sets = read_locks(old), read_locks(new)
    if len(old_sets) == 1 and len(new_sets) == 1:
        ((_, old_packages),) = old_sets.items()
        ((variant, new_packages),) = new_sets.items()
        old_sets, new_sets = {variant: old_packages}, {variant: new_packages}
    variants = tuple(sorted(old_sets.keys() | new_sets.keys()))
    changes = [
        change
        for variant in variants
        for change in diff_packages(
            old_sets.get(variant, {}), new_sets.get(variant, {}), variant=variant
        )
    ]
    return LockDiff(old=old, new=new, variants=variants, changes=tuple(changes))


def read_locks(path: Path) -> dict[str, Packages]:
    """Variant name -> the packages of its `conda-lock.yml`, for a lock file or a directory."""
    if path.is_file():
        return {DEFAULT_VARIANT: read_lock(path)}
    if not path.is_dir():
        raise UsageError(f"{path}: no such file or directory")
    try:
        found = lock_files(path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not found:
        raise UsageError(
            f"{path}: no {CONDA_LOCK_YML} in this directory or its immediate subfolders",
            hint="pass an output directory written by `hybrid solve`, or a conda-lock.yml",
        )
    return {variant: read_lock(file) for variant, file in found.items()}


def lock_files(directory: Path) -> dict[str, Path]:
    """Variant name -> lock file: the directory's own, then one per immediate subfolder."""
    found: dict[str, Path] = {}
    if (directory / CONDA_LOCK_YML).is_file():
        found[DEFAULT_VARIANT] = directory / CONDA_LOCK_YML
    for child in sorted(directory.iterdir()):
        if child.is_dir() and (child / CONDA_LOCK_YML).is_file():
            found[child.name] = child / CONDA_LOCK_YML
    return found


def read_lock(path: Path) -> Packages:
    """The packages of one `conda-lock.yml`, keyed by (platform, layer, name)."""
    return index_packages(read_conda_lock(path).packages)


def index_packages(dependencies: Iterable[LockPackage]) -> Packages:
    """Key lock records by (platform, layer, name)."""
    packages: Packages = {}
    for dep in dependencies:
        layer: Layer = "pip" if dep.manager == "pip" else "conda"
        key = canonicalize_name(dep.name) if layer == "pip" else dep.name
        for category in sorted(dep.categories or {MAIN}):
            packages[(dep.platform, layer, key, category)] = (dep.name, _locked(dep))
    return packages


def diff_packages(old: Packages, new: Packages, *, variant: str) -> list[PackageChange]:
    """The changes between two indexed package sets, sorted by (platform, layer, name)."""
    changes = [
        _change(key, old.get(key), new.get(key), variant=variant)
        for key in old.keys() | new.keys()
    ]
    return sorted((c for c in changes if c is not None), key=lambda c: c.sort_key)


def compare_versions(layer: Layer, old: str, new: str) -> int:
    """-1, 0 or 1 as `old` is older than, equal to or newer than `new` in `layer`'s ordering;
    plain string order when either does not parse."""
    from rattler import Version as CondaVersion  # the solver's module: only when comparing
    from rattler.exceptions import InvalidVersionError

    try:
        if layer == "pip":
            return _sign(PipVersion(old), PipVersion(new))
        return _sign(CondaVersion(old), CondaVersion(new))
    except (InvalidVersion, InvalidVersionError):
        return _sign(old, new)


def _change(
    key: tuple[str, Layer, str, str],
    before: tuple[str, LockedPackage] | None,
    after: tuple[str, LockedPackage] | None,
    *,
    variant: str,
) -> PackageChange | None:
    platform, layer, _, group = key
    old, new = (before[1] if before else None), (after[1] if after else None)
    kind = _kind(layer, old, new)
    named = after or before
    if kind is None or named is None:
        return None
    return PackageChange(
        variant=variant,
        platform=platform,
        layer=layer,
        name=named[0],
        kind=kind,
        old=old,
        new=new,
        group=group,
    )


def _kind(
    layer: Layer, old: LockedPackage | None, new: LockedPackage | None
) -> ChangeKind | None:
    if old is None:
        return None if new is None else "added"
    if new is None:
        return "removed"
    same = old.version == new.version  # most packages: no version parser (nor rattler) needed
    order = 0 if same else compare_versions(layer, old.version, new.version)
    if order < 0:
        return "upgraded"
    if order > 0:
        return "downgraded"
    if old.version != new.version or old.build != new.build or not old.same_artifact(new):
        return "rebuilt"
    return None


def _sign(a: Any, b: Any) -> int:
    return -1 if a < b else 1 if b < a else 0


def _agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _locked(dep: LockPackage) -> LockedPackage:
    return LockedPackage(
        version=dep.version,
        build=dep.build,
        url=dep.url,
        md5=dep.hash.md5,
        sha256=dep.hash.sha256,
        depends=tuple(
            name if constraint in ("", "*") else f"{name} {constraint}"
            for name, constraint in dep.dependencies.items()
        ),
    )
