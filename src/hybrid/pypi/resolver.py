"""The pip-layer resolver protocol and the registry of backends."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from packaging.requirements import Requirement

from hybrid.errors import UsageError
from hybrid.pypi.model import (
    IndexOptions,
    PinnedDistribution,
    PipLayerResult,
    PipTarget,
    ProvidedDistribution,
)

DEFAULT_RESOLVER = "uv"


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

    def compile(
        self,
        requirements: Sequence[Requirement],
        provided: Mapping[str, ProvidedDistribution],
        target: PipTarget,
        index: IndexOptions,
        *,
        workdir: Path,
        exclude_newer: datetime | None = None,
        exempt: Sequence[str] = (),
        preferences: Sequence[PinnedDistribution] = (),
    ) -> PipLayerResult: ...


def _uv() -> PipResolver:
    from hybrid.pypi.uv_backend import UvResolver

    return UvResolver()


def _pip_tools() -> PipResolver:
    from hybrid.pypi.piptools_backend import PipToolsResolver

    return PipToolsResolver()


RESOLVERS: Mapping[str, Callable[[], PipResolver]] = {"uv": _uv, "pip-tools": _pip_tools}


def get_resolver(name: str = DEFAULT_RESOLVER) -> PipResolver:
    """The resolver registered as ``name``; UsageError naming the known ones otherwise."""
    try:
        factory = RESOLVERS[name]
    except KeyError:
        known = ", ".join(sorted(RESOLVERS))
        raise UsageError(f"unknown pip resolver {name!r}; known: {known}") from None
    return factory()
