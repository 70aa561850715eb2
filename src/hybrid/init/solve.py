"""Lock files for a new repository: solved now when the channels can be reached, else a
reason why they are missing (a channel or network failure is not an error for `init`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hybrid.emit.explicit import HashKind
from hybrid.emit.outputs import plan_outputs
from hybrid.errors import BackendError, HybridError
from hybrid.pipeline.run import SolveOptions, lock
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
        result = lock(spec, options)
    except BackendError as exc:
        log.info("not solving %s: %s", spec.path, exc)
        return SolveOutcome(
            unsolved=f"the channels or the package index could not be read ({_first_line(exc)})"
        )
    except HybridError as exc:
        exc.hint = exc.hint or NO_SOLVE_HINT
        raise
    files = plan_outputs(result, spec.directory, hash_kind=_hash_kind(options))
    return SolveOutcome(files=files, notices=tuple(result.notices))


def _hash_kind(options: SolveOptions) -> HashKind:
    return "sha256" if options.hash_kind == "sha256" else "md5"


def _first_line(exc: HybridError) -> str:
    lines = exc.message.strip().splitlines()
    return lines[0].rstrip(".") if lines else type(exc).__name__
