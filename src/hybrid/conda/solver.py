"""The conda solver protocol and the registry that picks a backend by name."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, get_args

from hybrid.conda.model import CondaSolution, SolveRequest
from hybrid.errors import BackendError, UsageError


@dataclass(frozen=True, kw_only=True, slots=True)
class SolverOptions:
    """`reuse_gateway` keeps what a solve read (repodata) for the solver's next solves, until
    `release()`: for many specs solved by one process (`hybrid solve --all`)."""

    cache_dir: Path
    offline: bool = False
    reuse_gateway: bool = False


Solved = Callable[[SolveRequest], None]
"""Told each request as its solve finishes (in whichever order they finish)."""


class CondaSolver(Protocol):
    """Solves a batch of requests (one per platform/variant); may run them concurrently."""

    name: str

    def solve(
        self, requests: Sequence[SolveRequest], *, on_solved: Solved | None = None
    ) -> list[CondaSolution]:
        """One solution per request, in the same order; raises `HybridError` subclasses.
        Safe to call from several threads at once."""
        ...

    def release(self) -> None:
        """Free what the solver keeps between solves (a reused gateway); call once done."""
        ...


def _rattler(options: SolverOptions) -> CondaSolver:
    from hybrid.conda.rattler_backend import RattlerSolver

    return RattlerSolver(options)


def _libmamba(options: SolverOptions) -> CondaSolver:
    if importlib.util.find_spec("libmambapy") is None:
        raise BackendError(
            "the libmamba solver needs `libmambapy`, which is not importable here",
            hint="install hybrid inside a conda/mamba base that ships libmambapy, "
            "or use the default `--solver rattler`",
        )
    raise BackendError(
        "the libmamba backend is not part of this hybrid release",
        hint="use the default `--solver rattler`",
    )


SolverName = Literal["rattler", "libmamba"]
SOLVERS: dict[SolverName, Callable[[SolverOptions], CondaSolver]] = {
    "rattler": _rattler,
    "libmamba": _libmamba,
}
assert set(SOLVERS) == set(get_args(SolverName))
DEFAULT_SOLVER: SolverName = "rattler"


def get_solver(name: SolverName, options: SolverOptions) -> CondaSolver:
    """The backend registered as `name`."""
    factory = SOLVERS.get(name)
    if factory is None:
        raise UsageError(f"unknown solver {name!r}; choose one of: {', '.join(sorted(SOLVERS))}")
    return factory(options)
