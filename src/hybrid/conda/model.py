"""What the conda layer asks of a solver and what it gets back: plain, backend-neutral records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hybrid.conda.virtual import VirtualPackage
from hybrid.redact import redact
from hybrid.spec.channels import ChannelRef
from hybrid.spec.matchspec import CondaMatchSpec


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaPackage:
    """One solved conda package, with its canonical (not mirror) URL and channel; neither
    ever carries credentials (they are removed here, whatever the solver answered)."""

    name: str
    version: str
    build: str
    build_number: int
    subdir: str
    channel: str
    url: str
    fn: str
    md5: str | None
    sha256: str | None
    depends: tuple[str, ...]
    constrains: tuple[str, ...] = ()
    timestamp: dt.datetime | None = None
    size: int | None = None

    def __post_init__(self) -> None:
        for name in ("url", "channel"):
            object.__setattr__(self, name, redact(getattr(self, name)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "build": self.build,
            "build_number": self.build_number,
            "subdir": self.subdir,
            "channel": self.channel,
            "url": self.url,
            "md5": self.md5,
            "sha256": self.sha256,
            "depends": list(self.depends),
            "constrains": list(self.constrains),
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "size": self.size,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class LockedRef:
    """A package from a previous lock that the solver should keep where it can."""

    name: str
    version: str
    build: str
    subdir: str


@dataclass(frozen=True, kw_only=True, slots=True)
class SolveRequest:
    """Solve `specs` for one platform against `channels` (strict priority, in order).
    `added` are the specs among them that hybrid added to the spec's entries, as written
    (before a mirror rewrite): environment.yml lists them. Under `exclude_newer`, records
    without a timestamp are kept unless `drop_undated` (`--snapshot-strict`)."""

    platform: str
    specs: tuple[CondaMatchSpec, ...]
    added: tuple[CondaMatchSpec, ...] = ()
    constraints: tuple[CondaMatchSpec, ...] = ()
    channels: tuple[ChannelRef, ...]
    virtual_packages: tuple[VirtualPackage, ...]
    exclude_newer: dt.datetime | None = None
    drop_undated: bool = False
    locked: tuple[LockedRef, ...] = ()
    label: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaSolution:
    """The packages of one platform's conda layer, in install (topological) order."""

    request: SolveRequest
    packages: tuple[CondaPackage, ...]

    @property
    def platform(self) -> str:
        return self.request.platform

    def by_name(self) -> dict[str, CondaPackage]:
        return {p.name: p for p in self.packages}
