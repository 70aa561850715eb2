"""The records of a `conda-lock.yml` (conda-lock's lock file format, version 1), as hybrid
writes and reads them without conda-lock: one package per (manager, name, platform), with the
categories it belongs to (`main`, or a dependency group such as `dev` that
`conda-lock install --dev` (its default) / `-E <extra>` adds).

Field names and their order are conda-lock's (`conda_lock.lockfile.v1.models`); conda-lock's
own parser reads every file `emit.conda_lock_yml` writes from these (tests/emit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Manager = Literal["conda", "pip"]
MANAGERS: tuple[Manager, ...] = ("conda", "pip")
MAIN = "main"
LOCK_VERSION = 1

LockKey = tuple[Manager, str, str]
"""(manager, name, platform): what makes a package unique in a lock file."""


@dataclass(frozen=True, kw_only=True, slots=True)
class LockHash:
    md5: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class LockSource:
    """Where pip installs the package from (conda-lock's `source`, always of type url)."""

    url: str


@dataclass(frozen=True, kw_only=True, slots=True)
class LockPackage:
    name: str
    version: str
    manager: Manager
    platform: str
    url: str
    hash: LockHash
    dependencies: Mapping[str, str] = field(default_factory=dict)
    source: LockSource | None = None
    build: str | None = None
    categories: frozenset[str] = frozenset({MAIN})

    @property
    def key(self) -> LockKey:
        return (self.manager, self.name, self.platform)


@dataclass(frozen=True, kw_only=True, slots=True)
class LockChannel:
    url: str
    used_env_vars: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeMetadata:
    created_at: str


@dataclass(frozen=True, kw_only=True, slots=True)
class GitMetadata:
    git_user_name: str | None = None
    git_user_email: str | None = None
    git_sha: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class InputMetadata:
    md5: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class LockMetadata:
    content_hash: Mapping[str, str]
    channels: tuple[LockChannel, ...]
    platforms: tuple[str, ...]
    sources: tuple[str, ...]
    time_metadata: TimeMetadata | None = None
    git_metadata: GitMetadata | None = None
    inputs_metadata: Mapping[str, InputMetadata] | None = None
    custom_metadata: Mapping[str, str] | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaLockFile:
    metadata: LockMetadata
    packages: tuple[LockPackage, ...]

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c for p in self.packages for c in p.categories)
