"""The pip-layer resolver protocol and the registry of backends."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol, get_args

from packaging.requirements import Requirement

from hybrid.errors import UsageError
from hybrid.pypi.model import (
    IndexOptions,
    PinnedDistribution,
    PipLayerResult,
    PipTarget,
    ProvidedDistribution,
)

ResolverName = Literal["uv", "pip-tools"]
DEFAULT_RESOLVER: ResolverName = "uv"


@dataclass(frozen=True, kw_only=True, slots=True)
class CompileRequest:
    """Everything one pip-layer compile needs: the spec's pip requirements, what conda
    provides (presented as installed), the platform, the indexes, a private work directory,
    the snapshot instant and its exempt names, and the previous pins to prefer (`update`).

    Every pin is a wheel except those named in ``may_build`` (canonical names, the spec's
    `pip-build`), which may be an sdist where no wheel fits. ``offline`` resolves from the
    resolver's cache only: no index is asked.
    """

    requirements: tuple[Requirement, ...]
    provided: Mapping[str, ProvidedDistribution] = field(default_factory=dict)
    target: PipTarget
    index: IndexOptions = field(default_factory=IndexOptions)
    workdir: Path
    exclude_newer: datetime | None = None
    exempt: tuple[str, ...] = ()
    preferences: tuple[PinnedDistribution, ...] = ()
    may_build: tuple[str, ...] = ()
    offline: bool = False


class PipResolver(Protocol):
    """Compiles the pip layer of one platform against the distributions conda provides.

    ``cross_platform`` says whether it can compile for a platform or Python other than the
    running interpreter's. ``compile`` raises UnsatisfiableError when the pip layer cannot be
    resolved (a conflict with the conda layer is explained in conda terms), BackendError when
    the index or the tool fails, UsageError for a target it cannot serve.
    """

    @property
    def name(self) -> str: ...

    @property
    def cross_platform(self) -> bool: ...

    @property
    def torch_backend(self) -> bool:
        """Can send PyTorch packages to the variant's PyTorch index (`target.torch_backend`)."""
        ...

    def check_target(self, target: PipTarget) -> None:
        """UsageError, before anything is compiled, for a target this resolver cannot serve."""
        ...

    def compile(self, request: CompileRequest) -> PipLayerResult: ...


def _uv() -> PipResolver:
    from hybrid.pypi.uv_backend import UvResolver

    return UvResolver()


def _pip_tools() -> PipResolver:
    from hybrid.pypi.piptools_backend import PipToolsResolver

    return PipToolsResolver()


RESOLVERS: Mapping[ResolverName, Callable[[], PipResolver]] = {"uv": _uv, "pip-tools": _pip_tools}
assert set(RESOLVERS) == set(get_args(ResolverName))


def get_resolver(name: ResolverName = DEFAULT_RESOLVER) -> PipResolver:
    """The resolver registered as ``name``; UsageError naming the known ones otherwise."""
    factory = RESOLVERS.get(name)
    if factory is None:
        known = ", ".join(sorted(RESOLVERS))
        raise UsageError(f"unknown pip resolver {name!r}; known: {known}")
    return factory()
