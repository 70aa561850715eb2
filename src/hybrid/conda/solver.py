"""The conda solver protocol and the registry that picks a backend by name."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, get_args

from hybrid.conda.model import CondaSolution, SolveRequest
from hybrid.errors import BackendError, UsageError
from hybrid.spec.model import SpecSolver


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


LIBMAMBA_HINT = (
    "install libmambapy into the environment hybrid runs in "
    "(`conda install -c conda-forge libmambapy`; a conda or mamba base already has it), "
    "or use `--solver rattler`"
)


def libmamba_importable() -> bool:
    """Whether `libmambapy` can be imported here (it is on conda-forge, not on PyPI)."""
    return importlib.util.find_spec("libmambapy") is not None


def _libmamba(options: SolverOptions) -> CondaSolver:
    if not libmamba_importable():
        raise BackendError(
            "the libmamba solver needs `libmambapy`, which is not importable here",
            hint=LIBMAMBA_HINT,
        )
    from hybrid.conda.libmamba_backend import LibmambaSolver

    try:
        return LibmambaSolver(options)
    except ImportError as exc:  # found but broken (a wheel built for another Python, ...)
        raise BackendError(
            f"the libmamba solver needs `libmambapy`, which fails to import here: {exc}",
            hint=LIBMAMBA_HINT,
        ) from None


SolverName = Literal["rattler", "libmamba"]
SOLVERS: dict[SolverName, Callable[[SolverOptions], CondaSolver]] = {
    "rattler": _rattler,
    "libmamba": _libmamba,
}
assert set(SOLVERS) == set(get_args(SolverName)) == set(get_args(SpecSolver))
#: what `--solver` takes: a backend, `auto` (the spec's `solver:`, else rattler), or `both`
#: (solve with rattler and libmamba, lock rattler's answer, report where they differ)
SolverChoice = Literal["auto", "rattler", "libmamba", "both"]
DEFAULT_SOLVER: SolverChoice = "auto"
AUTO_SOLVER: SolverName = "rattler"


def chosen_solver(
    option: SolverChoice, spec_solver: SpecSolver | None
) -> SolverName | Literal["both"]:
    """The command line wins; `auto` is the spec's `solver:`, else rattler."""
    if option != "auto":
        return option
    return spec_solver if spec_solver is not None else AUTO_SOLVER


def locking_solver(option: SolverChoice, spec_solver: SpecSolver | None) -> SolverName:
    """The backend whose answers are locked: the chosen one; under `both`, rattler (libmamba's
    answers are only compared with its)."""
    name = chosen_solver(option, spec_solver)
    return "rattler" if name == "both" else name


def get_solver(name: SolverName, options: SolverOptions) -> CondaSolver:
    """The backend registered as `name`."""
    factory = SOLVERS.get(name)
    if factory is None:
        raise UsageError(f"unknown solver {name!r}; choose one of: {', '.join(sorted(SOLVERS))}")
    return factory(options)
