"""Many specs in one run (`hybrid solve A B …`, `hybrid solve --all DIR`).

Every spec is solved as `hybrid solve SPEC` would solve it and its outputs written next to it,
but the specs share one conda solver (one rattler gateway: each channel subdir's repodata is
read and parsed once for all of them), one conda -> PyPI mapping per source and one cache
directory, and `jobs` of them run at once in threads (rattler solves release the GIL; uv
compiles are subprocesses). A spec that fails is an outcome like any other: the others go on.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from hybrid.conda.solver import CondaSolver, SolverOptions, get_solver, locking_solver
from hybrid.emit.layout import refuse_overwriting_spec
from hybrid.errors import ExitCode, HybridError, UsageError
from hybrid.lock.model import LockResult
from hybrid.output_set import Waiting, write_output_set
from hybrid.pipeline.context import MappingCache, RunContext
from hybrid.pipeline.files import solve_to_files
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.progress import Progress, ProgressEvent, for_spec, no_progress
from hybrid.spec import load_spec

#: What `--all` collects: files of exactly this name.
SPEC_FILE = "spec.yaml"
#: Directories `--all` does not enter, besides hidden ones (`.git`, `.venv`, `.tox`) and
#: virtual environments (a directory holding `pyvenv.cfg`).
SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__", "site-packages"})
MAX_DEFAULT_JOBS = 8


def default_jobs() -> int:
    """Specs solved at once unless told: the CPU count, at least 2 (a solve waits on the
    network and on uv as much as it computes) and at most `MAX_DEFAULT_JOBS`."""
    return max(2, min(MAX_DEFAULT_JOBS, os.cpu_count() or 1))


def find_specs(root: Path) -> list[Path]:
    """Every `spec.yaml` under `root` (recursively, `root` included), sorted; hidden
    directories, `SKIPPED_DIRECTORIES` and virtual environments are not entered, nor are
    symbolic links to directories (no loops, no solving a project twice)."""
    if not root.is_dir():
        raise UsageError(f"--all {root}: not a directory")
    found: list[Path] = []
    for current, directories, files in os.walk(root):
        here = Path(current)
        directories[:] = [name for name in directories if not _skipped(here / name)]
        if SPEC_FILE in files and (here / SPEC_FILE).is_file():
            found.append(here / SPEC_FILE)
    return sorted(found)


def _skipped(directory: Path) -> bool:
    return (
        directory.name.startswith(".")
        or directory.name in SKIPPED_DIRECTORIES
        or (directory / "pyvenv.cfg").is_file()
    )


def distinct_specs(paths: Sequence[Path]) -> list[Path]:
    """`paths` in order, each file once; two different specs in one directory are refused,
    because each writes its outputs (environment.yml, …) next to itself."""
    chosen: list[Path] = []
    by_directory: dict[Path, tuple[Path, Path]] = {}
    for path in paths:
        resolved = path.resolve()
        earlier = by_directory.get(resolved.parent)
        if earlier is not None and earlier[1] == resolved:
            continue
        if earlier is not None:
            raise UsageError(
                f"{earlier[0]} and {path} would write their outputs to the same directory "
                f"({path.parent})",
                hint="solve them one at a time with -o DIR for one of them",
            )
        by_directory[resolved.parent] = (path, resolved)
        chosen.append(path)
    return chosen


@dataclass(frozen=True, kw_only=True, slots=True)
class SpecOutcome:
    """One spec's result: its lock and the files written to `out_dir`, or the error that
    stopped it (`trace`: its traceback as text, for `-v`; the error holds none)."""

    spec_path: Path
    result: LockResult | None = None
    out_dir: Path | None = None
    files: tuple[Path, ...] = ()
    error: Exception | None = None
    trace: str = ""

    @property
    def exit_code(self) -> ExitCode:
        if self.error is None:
            return ExitCode.OK
        if isinstance(self.error, HybridError):
            return self.error.exit_code
        return ExitCode.INTERNAL


def worst_exit_code(outcomes: Sequence[SpecOutcome]) -> ExitCode:
    """What the run exits with: the highest code of any spec (0 when all were solved). The
    codes rise with severity: findings 1, usage 2, unsatisfiable 3, stale 4, backend 5,
    internal 70."""
    return max((outcome.exit_code for outcome in outcomes), default=ExitCode.OK)


def solve_specs(
    paths: Sequence[Path],
    options: SolveOptions,
    *,
    jobs: int,
    progress: Progress = no_progress,
    on_wait: Waiting | None = None,
) -> Iterator[SpecOutcome]:
    """Solve each spec and write its outputs next to it, `jobs` at a time; yields one outcome
    per spec in the order of `paths`, each as soon as it and every spec before it are done.

    Stopping early (Ctrl-C) cancels the specs not yet started and waits for the running ones,
    whose output sets are written whole or not at all."""
    solver = get_solver(  # shared by the specs that choose this backend (`lock()` checks)
        locking_solver(options.solver, None),
        SolverOptions(cache_dir=options.cache_dir, offline=options.offline, reuse_gateway=True),
    )
    batch = _Batch(solver=solver, options=options, progress=progress, on_wait=on_wait)
    pool = ThreadPoolExecutor(
        max_workers=max(1, min(jobs, len(paths))), thread_name_prefix="hybrid-spec"
    )
    try:
        futures = [pool.submit(batch.solve_one, path) for path in paths]
        for future in futures:
            yield future.result()
    finally:
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        finally:  # a second Ctrl-C ends the wait; running solves still hold what they use
            solver.release()  # rattler's objects go while the interpreter is alive


class _Batch:
    """What every spec of the run shares."""

    def __init__(
        self,
        *,
        solver: CondaSolver,
        options: SolveOptions,
        progress: Progress,
        on_wait: Waiting | None,
    ) -> None:
        self._solver = solver
        self._mappings = MappingCache()
        self._options = options
        self._progress = progress
        self._on_wait = on_wait

    def solve_one(self, path: Path) -> SpecOutcome:
        progress = for_spec(self._progress, path)
        progress(ProgressEvent(kind="spec", phase="start"))
        try:
            outcome = self._solve(path, progress)
        except Exception as exc:  # one spec's failure, whatever it is, is only its own
            progress(ProgressEvent(kind="spec", phase="failed"))
            trace = "".join(traceback.format_exception(exc))
            exc.__traceback__ = None  # its frames may hold what the solver frees at the end
            return SpecOutcome(spec_path=path, error=exc, trace=trace)
        progress(ProgressEvent(kind="spec", phase="done"))
        return outcome

    def _solve(self, path: Path, progress: Progress) -> SpecOutcome:
        spec = load_spec(path)
        out_dir = spec.directory
        refuse_overwriting_spec(spec, out_dir)
        context = RunContext(solver=self._solver, mappings=self._mappings, progress=progress)
        solved = solve_to_files(spec, self._options, out_dir, context=context)
        write_output_set(solved.files, directory=out_dir, on_wait=self._on_wait)
        return SpecOutcome(
            spec_path=path, result=solved.result, out_dir=out_dir, files=tuple(solved.files)
        )
