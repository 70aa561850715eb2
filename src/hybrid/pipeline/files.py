"""Spec -> lock -> the text of every output file: the one path `solve`, `update` and `init`
share (the caller writes the files, atomically, with whatever else it writes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hybrid.emit.outputs import plan_outputs
from hybrid.lock.model import LockResult, PreviousLock
from hybrid.pipeline.context import RunContext
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.run import lock
from hybrid.spec.model import Spec


@dataclass(frozen=True, kw_only=True, slots=True)
class SolvedFiles:
    result: LockResult
    files: Mapping[Path, str]


def solve_to_files(
    spec: Spec,
    options: SolveOptions,
    out_dir: Path,
    *,
    previous: Mapping[str, PreviousLock] | None = None,
    context: RunContext | None = None,
) -> SolvedFiles:
    """Solve `spec` and plan its outputs in `out_dir`; nothing is written."""
    result = lock(spec, options, previous=previous, context=context)
    return SolvedFiles(result=result, files=plan_outputs(result, out_dir))
