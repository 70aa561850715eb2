"""What every export reads: the lock files `hybrid solve` wrote, per variant and platform.

Never solves. The packages come from each variant's `conda-lock.yml` through hybrid's own
reader (`readback.diff.read_lock`), the file paths are the ones `hybrid install` uses
(`emit.layout`), and freshness is `hybrid check`'s (`readback.check.check_outputs`): stale
outputs are refused unless the caller allows them, missing ones always.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hybrid.emit.layout import (
    CONDA_LOCK_YML,
    REQUIREMENTS_TXT,
    explicit_filename,
    group_explicit_filename,
    group_requirements_filename,
    output_directories,
)
from hybrid.errors import StaleError, UsageError
from hybrid.readback.check import check_outputs
from hybrid.readback.diff import MAIN, Packages, read_lock
from hybrid.spec.channels import ChannelRef, resolve_channels
from hybrid.spec.model import Spec
from hybrid.spec.variants import chosen_variant, spec_variants


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaLocked:
    """One conda package of the lock: its archive URL, hashes and dependencies."""

    name: str
    version: str
    build: str
    url: str
    channel: str
    md5: str | None
    sha256: str | None
    depends: tuple[str, ...]

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def subdir(self) -> str:
        return self.url.rsplit("/", 2)[-2]


@dataclass(frozen=True, kw_only=True, slots=True)
class PipLocked:
    """One pip-layer distribution of the lock, for one platform."""

    name: str
    version: str
    url: str
    sha256: str | None

    @property
    def hashable(self) -> bool:
        """False for a version-control reference: the lock has no hash for it, and pip
        refuses it in hash-checking mode (`pypi.pins.unhashable_pins`)."""
        return self.sha256 is not None


@dataclass(frozen=True, kw_only=True, slots=True)
class GroupLock:
    """A dependency group on one platform: `explicit` (base and group), the conda packages
    it adds to the base, and the pip distributions `requirements` adds (None: no pip)."""

    name: str
    explicit: Path
    requirements: Path | None
    conda: tuple[CondaLocked, ...]
    pip: tuple[PipLocked, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class PlatformLock:
    platform: str
    explicit: Path
    conda: tuple[CondaLocked, ...]
    pip: tuple[PipLocked, ...]
    groups: tuple[GroupLock, ...] = ()

    def group(self, name: str) -> GroupLock:
        for group in self.groups:
            if group.name == name:
                return group
        names = ", ".join(g.name for g in self.groups) or "none"
        raise UsageError(f"--group {name!r}: the lock has no such group (groups: {names})")

    def with_group(self, name: str | None) -> PlatformLock:
        """The environment of the base and group `name` (this one when None): the group's
        explicit file, and the packages of both."""
        if name is None:
            return self
        group = self.group(name)
        return PlatformLock(
            platform=self.platform, explicit=group.explicit,
            conda=tuple(sorted({p.name: p for p in (*group.conda, *self.conda)}.values(),
                               key=lambda p: p.name)),
            pip=tuple(sorted({p.name: p for p in (*group.pip, *self.pip)}.values(),
                             key=lambda p: p.name)),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class VariantLock:
    """One variant's lock files: `name` is "default" for a spec without `cuda:`."""

    name: str
    directory: Path
    conda_lock: Path
    requirements: Path | None
    channels: tuple[str, ...]
    platforms: tuple[PlatformLock, ...]

    def platform(self, name: str) -> PlatformLock:
        for lock in self.platforms:
            if lock.platform == name:
                return lock
        targeted = ", ".join(p.platform for p in self.platforms)
        raise UsageError(f"the lock does not cover {name} (it covers {targeted})")


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportSource:
    """The spec, its locks, and why they are stale (empty when fresh)."""

    spec: Spec
    out_dir: Path
    input_hash: str
    variants: tuple[VariantLock, ...]
    stale: tuple[str, ...]
    #: the spec's channels, each read from its mirror where one was given
    channel_refs: tuple[ChannelRef, ...] = ()

    def variant(self, name: str | None) -> VariantLock:
        """The variant called `name`; the only one when `name` is None."""
        chosen = chosen_variant(self.spec, [v.name for v in self.variants], name)
        return next(v for v in self.variants if v.name == chosen)


def read_export_source(
    spec: Spec, out_dir: Path, *, allow_stale: bool = False,
    mirrors: Mapping[str, str] | None = None,
) -> ExportSource:
    """Read the locks of every variant of `spec` in `out_dir`; `StaleError` when they do not
    match the spec (unless `allow_stale`), `UsageError` when a lock file is missing (first:
    missing files are not a matter of freshness)."""
    pairs = list(zip(spec_variants(spec), output_directories(spec, out_dir), strict=True))
    for _, directory in pairs:
        _require_files(spec, directory)
    report = check_outputs(spec, out_dir)
    if report.stale and not allow_stale:
        raise StaleError(
            f"the locks in {out_dir} are stale:\n" + "\n".join(f"  {r}" for r in report.stale),
            hint=f"run `hybrid solve {spec.path}` first, or pass --allow-stale to export "
            "them anyway",
        )
    refs = resolve_channels(spec.channels, base_dir=spec.directory, mirrors=mirrors or {})
    channels = tuple(ref.canonical_url for ref in refs)
    variants = tuple(
        _read_variant(spec, variant.name, directory, channels) for variant, directory in pairs
    )
    return ExportSource(
        spec=spec, out_dir=out_dir, input_hash=report.input_hash, variants=variants,
        stale=report.stale, channel_refs=refs,
    )


def _read_variant(
    spec: Spec, name: str, directory: Path, channels: tuple[str, ...]
) -> VariantLock:
    conda_lock = directory / CONDA_LOCK_YML
    requirements = directory / REQUIREMENTS_TXT if spec.pip else None
    packages = read_lock(conda_lock)
    platforms = []
    for platform in spec.platforms:
        conda = _conda(packages, platform, MAIN, channels)
        if not conda:
            raise UsageError(
                f"{conda_lock}: no conda packages for {platform}",
                hint=f"run `hybrid solve {spec.path}` to re-create the locks",
            )
        groups = tuple(
            GroupLock(
                name=group.name,
                explicit=directory / group_explicit_filename(platform, group.name),
                requirements=(directory / group_requirements_filename(group.name)
                              if group.pip else None),
                conda=_conda(packages, platform, group.name, channels),
                pip=_pip(packages, platform, group.name),
            )
            for group in spec.groups
        )
        platforms.append(
            PlatformLock(
                platform=platform, explicit=directory / explicit_filename(platform),
                conda=conda, pip=_pip(packages, platform, MAIN), groups=groups,
            )
        )
    return VariantLock(
        name=name, directory=directory, conda_lock=conda_lock, requirements=requirements,
        channels=channels, platforms=tuple(platforms),
    )


def _conda(
    packages: Packages, platform: str, category: str, channels: tuple[str, ...]
) -> tuple[CondaLocked, ...]:
    """The conda packages of `category` (`main`, or what a group adds) on `platform`."""
    conda = [
        CondaLocked(
            name=key, version=locked.version, build=locked.build or "", url=locked.url,
            channel=_channel_of(locked.url, channels), md5=locked.md5,
            sha256=locked.sha256, depends=locked.depends,
        )
        for (where, layer, key, found), (_, locked) in packages.items()
        if where == platform and layer == "conda" and found == category
    ]
    return tuple(sorted(conda, key=lambda p: p.name))


def _pip(packages: Packages, platform: str, category: str) -> tuple[PipLocked, ...]:
    pip = [
        PipLocked(name=shown, version=locked.version, url=locked.url, sha256=locked.sha256)
        for (where, layer, _, found), (shown, locked) in packages.items()
        if where == platform and layer == "pip" and found == category
    ]
    return tuple(sorted(pip, key=lambda p: p.name))


def _require_files(spec: Spec, directory: Path) -> None:
    """`UsageError` naming the first lock file of `directory` that is missing."""
    names = [CONDA_LOCK_YML, *(explicit_filename(p) for p in spec.platforms)]
    if spec.pip:
        names.append(REQUIREMENTS_TXT)
    for group in spec.groups:
        names.extend(group_explicit_filename(p, group.name) for p in spec.platforms)
        if group.pip:
            names.append(group_requirements_filename(group.name))
    for name in names:
        if not (directory / name).is_file():
            raise UsageError(
                f"{directory / name}: no such file; the lock is incomplete",
                hint=f"run `hybrid solve {spec.path}` to write the locks (and pass "
                "--output-dir if they are elsewhere)",
            )


def _channel_of(url: str, channels: tuple[str, ...]) -> str:
    """The spec channel `url` comes from; else the URL without `/<subdir>/<file>`."""
    for channel in channels:
        if url.startswith(channel.rstrip("/") + "/"):
            return channel.rstrip("/")
    return url.rsplit("/", 2)[0]
