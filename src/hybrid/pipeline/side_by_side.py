"""`--solver both`: each request solved by rattler and by libmamba, one request at a time so
each solve is timed on its own; the lock takes rattler's answer, the comparison records the
differences, the times and whether each solution passes the lock verifier's conda check."""

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


def solve_both(
    requests: Sequence[SolveRequest], options: SolverOptions
) -> tuple[list[CondaSolution], tuple[SolverComparison, ...]]:
    """rattler's solutions (its errors raised as in a plain solve) and one comparison per
    request. libmamba is loaded first, so a missing libmambapy fails before any solve."""
    right_solver = get_solver(RIGHT, options)
    left_solver = get_solver(LEFT, options)
    solutions: list[CondaSolution] = []
    comparisons = []
    for request in requests:
        left, left_run, error = _timed(left_solver, request)
        if left is None:
            assert error is not None
            raise error  # rattler's answer is the lock's: its failure is the solve's
        right, right_run, _ = _timed(right_solver, request)
        solutions.append(left)
        comparisons.append(
            SolverComparison(
                platform=request.platform,
                label=request.label,
                left=left_run,
                right=right_run,
                diff=None if right is None else diff_solutions(left, right),
            )
        )
    return solutions, tuple(comparisons)


def _timed(
    solver: CondaSolver, request: SolveRequest
) -> tuple[CondaSolution | None, SolverRun, HybridError | None]:
    """The solution (None when the solver found none), the timed run, and the error."""
    start = time.perf_counter()
    try:
        (solution,) = solver.solve([request])
    except HybridError as exc:
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        run = SolverRun(solver=solver.name, seconds=time.perf_counter() - start, error=first)
        return None, run, exc
    run = SolverRun(
        solver=solver.name,
        seconds=time.perf_counter() - start,
        packages=len(solution.packages),
        unmet=tuple(str(u) for u in conda_unmet(solution)),
    )
    return solution, run, None
