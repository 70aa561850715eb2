"""Lock files for a new repository: solved now when the channels can be reached, else a
reason why they are missing (a channel or network failure is not an error for `init`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hybrid.errors import BackendError, HybridError
from hybrid.pipeline.files import solve_to_files
from hybrid.pipeline.options import SolveOptions
from hybrid.spec.model import Spec

log = logging.getLogger(__name__)

NO_SOLVE = "`hybrid init` ran with `--no-solve`"
NO_SOLVE_HINT = "`hybrid init --no-solve` writes the repository without lock files"


@dataclass(frozen=True, kw_only=True, slots=True)
class SolveOutcome:
    """The output files (none when unsolved), the solve's notices, and why nothing was solved."""

    files: Mapping[Path, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    unsolved: str | None = None


def solve_outputs(spec: Spec, options: SolveOptions | None) -> SolveOutcome:
    """Solve `spec` into its own directory's outputs; `options=None` solves nothing."""
    if options is None:
        return SolveOutcome(unsolved=NO_SOLVE)
    try:
        solved = solve_to_files(spec, options, spec.directory)
    except BackendError as exc:
        log.info("not solving %s: %s", spec.path, exc)
        return SolveOutcome(
            unsolved=f"the channels or the package index could not be read ({_first_line(exc)})"
        )
    except HybridError as exc:
        exc.hint = exc.hint or NO_SOLVE_HINT
        raise
    return SolveOutcome(files=solved.files, notices=tuple(solved.result.notices))


def _first_line(exc: HybridError) -> str:
    lines = exc.message.strip().splitlines()
    return lines[0].rstrip(".") if lines else type(exc).__name__
