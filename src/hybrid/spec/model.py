"""The normalized spec: a frozen model every later stage of the pipeline reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from packaging.requirements import Requirement

from hybrid.platforms import DEFAULT_GLIBC, DEFAULT_LINUX, default_macos
from hybrid.spec.location import Location
from hybrid.spec.matchspec import CondaMatchSpec

#: the conda solvers a spec may name in `solver:` (the schema's enum)
SpecSolver = Literal["rattler", "libmamba"]


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaDependency:
    """One `conda:` entry: a match spec, optionally limited to some platforms."""

    match: CondaMatchSpec
    platforms: frozenset[str] | None
    field: str
    location: Location

    @property
    def name(self) -> str:
        return self.match.name

    @property
    def channel(self) -> str | None:
        return self.match.channel

    @property
    def spec(self) -> str:
        """The match spec in conda's space form, built from the parsed value."""
        return str(self.match)

    def applies_to(self, platform: str) -> bool:
        return self.platforms is None or platform in self.platforms

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"spec": self.spec}
        if self.platforms is not None:
            out["platforms"] = sorted(self.platforms)
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class PipDependency:
    """One `pip:` entry: a PEP 508 requirement."""

    requirement: Requirement
    field: str
    location: Location

    @property
    def name(self) -> str:
        from packaging.utils import canonicalize_name

        return canonicalize_name(self.requirement.name)


@dataclass(frozen=True, kw_only=True, slots=True)
class Group:
    """One `groups:` entry (dev, docs, …): conda and pip entries solved on top of the base,
    which stays as its own solve pinned it. `name` is safe in a file name."""

    name: str
    conda: tuple[CondaDependency, ...] = ()
    pip: tuple[PipDependency, ...] = ()
    location: Location

    def conda_for(self, platform: str) -> tuple[CondaDependency, ...]:
        """The group's `conda:` entries that apply to `platform`, in spec order."""
        return tuple(dep for dep in self.conda if dep.applies_to(platform))

    def to_dict(self) -> dict[str, Any]:
        return {
            "conda": [c.to_dict() for c in self.conda],
            "pip": [str(p.requirement) for p in self.pip],
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class PipIndex:
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index-url": self.index_url,
            "extra-index-urls": list(self.extra_index_urls),
            "find-links": list(self.find_links),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class System:
    """Oldest glibc / Linux kernel / macOS the environment must run on (None = default).

    The defaults are the platform table's (`hybrid.platforms`); the solve's virtual packages
    and the pip layer's target both take their floors from these methods.
    """

    glibc: str | None = None
    linux: str | None = None
    macos: str | None = None

    def glibc_version(self) -> str:
        return self.glibc or DEFAULT_GLIBC

    def linux_version(self) -> str:
        return self.linux or DEFAULT_LINUX

    def macos_version(self, machine: str) -> str:
        """The macOS floor on the osx platform whose machine is `machine` (x86_64, arm64)."""
        return self.macos or default_macos(machine)

    def to_dict(self) -> dict[str, Any]:
        return {"glibc": self.glibc, "linux": self.linux, "macos": self.macos}


@dataclass(frozen=True, kw_only=True, slots=True)
class CudaEntry:
    """One `cuda:` entry: "cpu" or a CUDA version, with optional driver and GPU floors.

    `driver` is the oldest driver's CUDA version the environment must run on (the solve's
    `__cuda`, `version` when unset); `arch` the oldest GPU compute capability (`__cuda_arch`).
    """

    version: str
    driver: str | None = None
    arch: str | None = None
    field: str = "cuda"
    location: Location | None = None

    @property
    def driver_floor(self) -> str | None:
        """The `__cuda` version a solve of this entry sees (None for "cpu")."""
        return None if self.version == "cpu" else self.driver or self.version

    def to_dict(self) -> str | dict[str, str]:
        """The short string form when no floor is set, so existing specs keep their hash."""
        if self.driver is None and self.arch is None:
            return self.version
        floors = {"driver": self.driver, "arch": self.arch}
        return {"version": self.version} | {k: v for k, v in floors.items() if v is not None}

    def __str__(self) -> str:
        floors = [f"{k} {v}" for k, v in (("driver", self.driver), ("arch", self.arch)) if v]
        return self.version + (f" ({', '.join(floors)})" if floors else "")


PromoteMode = Literal["auto", "off"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Promote:
    """`promote:`: which pip-layer packages move to the conda layer. `auto` moves compiled
    wheels ABI-coupled to a conda package and NVIDIA CUDA wheels beside conda's CUDA
    libraries; `off` moves none; `names` (a list in the spec, with `auto`) move always."""

    mode: PromoteMode = "auto"
    #: canonical PyPI names, sorted
    names: tuple[str, ...] = ()

    @property
    def is_default(self) -> bool:
        return self.mode == "auto" and not self.names

    def to_dict(self) -> str | list[str]:
        return list(self.names) if self.names else self.mode


@dataclass(frozen=True, kw_only=True, slots=True)
class Spec:
    """A validated spec file."""

    path: Path
    name: str
    channels: tuple[str, ...]
    platforms: tuple[str, ...]
    python: str | None
    cuda: tuple[CudaEntry, ...]
    conda: tuple[CondaDependency, ...]
    pip: tuple[PipDependency, ...]
    pip_index: PipIndex = field(default_factory=PipIndex)
    system: System = field(default_factory=System)
    snapshot: dt.datetime | None = None
    snapshot_exempt: tuple[str, ...] = ()
    #: canonical PyPI names the pip layer may take as sdists (`pip-build`), sorted
    pip_build: tuple[str, ...] = ()
    promote: Promote = field(default_factory=Promote)
    #: `solver:`, the conda solver the spec asks for (`--solver` wins); not in the input hash
    solver: SpecSolver | None = None
    source_sha256: str = ""
    python_location: Location | None = None
    cuda_location: Location | None = None
    groups: tuple[Group, ...] = ()
    #: the lab's own project directory as written (`.`), installed editable after both layers
    project: str | None = None

    @property
    def directory(self) -> Path:
        return self.path.parent

    def conda_for(self, platform: str) -> tuple[CondaDependency, ...]:
        """The `conda:` entries that apply to `platform`, in spec order."""
        return tuple(dep for dep in self.conda if dep.applies_to(platform))

    def python_match(self) -> CondaMatchSpec | None:
        """`"3.11"` -> `python 3.11.*`; a full `"3.11.9"` -> `python ==3.11.9`."""
        if self.python is None:
            return None
        full = len(self.python.split(".")) >= 3
        return CondaMatchSpec(
            name="python", version=f"=={self.python}" if full else f"{self.python}.*"
        )

    def python_spec(self) -> str | None:
        match = self.python_match()
        return None if match is None else str(match)

    def to_dict(self) -> dict[str, Any]:
        """The content that determines the outputs (no file positions, no path)."""
        return {
            "name": self.name,
            "channels": list(self.channels),
            "platforms": list(self.platforms),
            "python": self.python,
            "cuda": [c.to_dict() for c in self.cuda],
            "conda": [c.to_dict() for c in self.conda],
            "pip": [str(p.requirement) for p in self.pip],
            "pip-index": self.pip_index.to_dict(),
            "system": self.system.to_dict(),
            "snapshot": self._snapshot_dict(),
            "pip-build": list(self.pip_build),
        } | self._promote_dict() | self._groups_dict()

    def _promote_dict(self) -> dict[str, Any]:
        """`promote` only when set to other than its default, so the input hash of a spec
        without `promote:` is what it was before the key existed."""
        return {} if self.promote.is_default else {"promote": self.promote.to_dict()}

    @property
    def project_dir(self) -> Path | None:
        """The project directory, relative to the spec's; None without `project:`."""
        return None if self.project is None else (self.directory / self.project).resolve()

    def group(self, name: str) -> Group | None:
        return next((g for g in self.groups if g.name == name), None)

    def _groups_dict(self) -> dict[str, Any]:
        """`groups` and `project` only when set, so a spec without them keeps its input hash."""
        out: dict[str, Any] = {} if self.project is None else {"project": self.project}
        if not self.groups:
            return out
        return out | {"groups": {g.name: g.to_dict() for g in self.groups}}

    def _snapshot_dict(self) -> str | dict[str, Any] | None:
        """Shaped as the schema's `snapshot`: the instant, or `{date, exempt}` with exemptions."""
        if self.snapshot is None:
            return None
        if not self.snapshot_exempt:
            return self.snapshot.isoformat()
        return {"date": self.snapshot.isoformat(), "exempt": list(self.snapshot_exempt)}
