"""`--solver both`: the lock is rattler's; afterwards each request the lock was finally solved
from (with the specs promotion added) is solved again by rattler and by libmamba, one request
at a time so each solve is timed on its own. The comparison records the differences, the
times and whether each solution passes the lock verifier's conda check."""

from __future__ import annotations

import time
from collections.abc import Sequence

from hybrid.conda.compare import SolverComparison, SolverRun, diff_solutions
from hybrid.conda.model import CondaSolution, SolveRequest
from hybrid.conda.solver import CondaSolver, SolverName, SolverOptions, get_solver
from hybrid.errors import HybridError
from hybrid.lock.verify import conda_unmet

LEFT: SolverName = "rattler"
RIGHT: SolverName = "libmamba"


class SideBySide:
    """Both solvers, loaded when made: a missing libmambapy fails before any solve."""

    def __init__(self, options: SolverOptions) -> None:
        self._right = get_solver(RIGHT, options)
        self._left = get_solver(LEFT, options)

    def compare(self, requests: Sequence[SolveRequest]) -> tuple[SolverComparison, ...]:
        """One comparison per request. Neither solver's failure stops the lock, which is
        already made: it is recorded as that run's error (a crash of the compared solver
        included)."""
        comparisons = []
        for request in requests:
            left, left_run = _timed(self._left, request)
            right, right_run = _timed(self._right, request)
            comparisons.append(
                SolverComparison(
                    platform=request.platform,
                    label=request.label,
                    left=left_run,
                    right=right_run,
                    diff=None if left is None or right is None else diff_solutions(left, right),
                )
            )
        return tuple(comparisons)


def _timed(solver: CondaSolver, request: SolveRequest) -> tuple[CondaSolution | None, SolverRun]:
    """The solution (None when the solver found none or failed) and the timed run."""
    start = time.perf_counter()
    try:
        (solution,) = solver.solve([request])
    except Exception as exc:
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        if not isinstance(exc, HybridError):
            first = f"{type(exc).__name__}: {first}"
        run = SolverRun(solver=solver.name, seconds=time.perf_counter() - start, error=first)
        return None, run
    run = SolverRun(
        solver=solver.name,
        seconds=time.perf_counter() - start,
        packages=len(solution.packages),
        unmet=tuple(str(u) for u in conda_unmet(solution)),
    )
    return solution, run
