"""Records that go into and come out of a pip-layer compile for one platform."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from packaging.utils import canonicalize_name
from packaging.version import Version

from hybrid.mapping.provided import ProvidedDistribution
from hybrid.redact import redact

__all__ = [
    "IndexOptions",
    "PinnedDistribution",
    "PipArtifact",
    "PipFile",
    "PipLayerResult",
    "PipTarget",
    "ProvidedDistribution",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class PipTarget:
    """The platform a pip layer is compiled for.

    ``platform`` is a conda subdir, ``python_version`` the conda-solved Python ("3.11.9"),
    ``glibc`` and ``macos`` the oldest system the environment must run on ("2.28", "11.0").
    ``torch_backend`` ("cu126", "cpu") sends PyTorch-ecosystem packages to that PyTorch
    wheel index (uv's `--torch-backend`) in a CUDA or cpu variant.
    """

    platform: str
    python_version: str
    glibc: str | None = None
    macos: str | None = None
    torch_backend: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class IndexOptions:
    """Where the pip layer looks for distributions. URLs may carry credentials."""

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class PipFile:
    """One file of a pinned version: a wheel or an sdist; ``url`` has no credentials and no
    fragment (a `file://` URL for a local one)."""

    filename: str
    url: str
    sha256: str

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")


@dataclass(frozen=True, kw_only=True, slots=True)
class PinnedDistribution:
    """One exact pin of the pip layer; URLs never carry credentials.

    ``hashes`` are ``"sha256:<hex>"`` sorted; ``url`` is set for a direct reference (a git
    URL is resolved to a commit); ``index_url`` is the index it came from when known.
    ``files`` are the files the resolver chose from for the target (uv: the wheels whose
    tags the platform accepts, and the sdist where the spec lets it be built), sorted by
    file name; empty when the resolver does not say (pip-tools, direct references). With
    files, ``hashes`` are theirs.
    """

    name: str
    version: Version
    hashes: tuple[str, ...] = ()
    url: str | None = None
    index_url: str | None = None
    files: tuple[PipFile, ...] = ()

    def __post_init__(self) -> None:
        if self.name != canonicalize_name(self.name):
            raise ValueError(f"pin name {self.name!r} is not canonical")
        if list(self.hashes) != sorted(set(self.hashes)):
            raise ValueError(f"hashes of {self.name} are not sorted and unique")
        if not all(digest.startswith("sha256:") for digest in self.hashes):
            raise ValueError(f"hashes of {self.name} must be sha256:<hex>")


@dataclass(frozen=True, kw_only=True, slots=True)
class PipLayerResult:
    """The pip layer of one platform: pins sorted by name, which resolver made them, and
    what the conda layer provided to the compile (PyPI name -> distribution)."""

    target: PipTarget
    pins: tuple[PinnedDistribution, ...]
    resolver: str
    provided: Mapping[str, ProvidedDistribution] = field(default_factory=dict)
    #: names that may be installed from an sdist, so built (the spec's `pip-build`)
    may_build: tuple[str, ...] = ()
    #: (name, extra) the resolver was asked for but found undeclared: for a stub of what
    #: conda provides, the extras to read from its release before compiling again
    missing_extras: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class PipArtifact:
    """One pip-layer distribution for one platform, as the unified lock records it; its URL
    never carries credentials (removed here: a token path of the index would stay in it)."""

    platform: str
    name: str
    version: str
    url: str
    sha256: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", redact(self.url))
