"""`hybrid solve A B …` and `hybrid solve --all DIR`: many specs in one process.

Each spec's report (or its error, naming the spec file) is printed in the order the specs were
given (`--all`: sorted by path) as soon as it and those before it are done; `--json` prints one
JSON array with one object per spec instead. The exit code is the worst of any spec's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.markup import escape

from hybrid.cli.console import err_console, out_console
from hybrid.cli.failure import error_document
from hybrid.cli.progress import progress_display
from hybrid.cli.session import echo_json, session
from hybrid.cli.solve import print_report, tell_waiting
from hybrid.errors import ExitCode, UsageError
from hybrid.lock.summary import result_json
from hybrid.pipeline.batch import (
    SPEC_FILE,
    SpecOutcome,
    default_jobs,
    distinct_specs,
    find_specs,
    solve_specs,
    worst_exit_code,
)
from hybrid.pipeline.options import SolveOptions
from hybrid.redact import redact


def solve_many(
    spec_paths: Sequence[Path],
    roots: Sequence[Path],
    *,
    output_dir: Path | None,
    jobs: int | None,
    options: SolveOptions,
    as_json: bool,
) -> int:
    """Solve every spec named or found under `roots`; the exit code of the worst one."""
    if output_dir is not None:
        raise UsageError(
            "-o names one output directory, and several specs cannot share one: with several "
            "specs or --all, each spec's outputs are written next to it",
            hint="leave out -o, or solve one spec at a time with -o DIR",
        )
    paths = distinct_specs([*spec_paths, *_found(roots)])
    outcomes: list[SpecOutcome] = []
    with progress_display(quiet=as_json, specs=len(paths)) as progress:
        for outcome in solve_specs(
            paths, options, jobs=jobs or default_jobs(), progress=progress, on_wait=tell_waiting
        ):
            outcomes.append(outcome)
            if not as_json:
                _report(outcome)
    if as_json:
        echo_json([_outcome_json(outcome) for outcome in outcomes])
    else:
        _closing_line(outcomes)
    return int(worst_exit_code(outcomes))


def _found(roots: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        specs = find_specs(root)
        if not specs:
            raise UsageError(f"--all {root}: no {SPEC_FILE} under it")
        found.extend(specs)
    return found


def _report(outcome: SpecOutcome) -> None:
    where = escape(str(outcome.spec_path))
    if outcome.error is None:
        assert outcome.result is not None and outcome.out_dir is not None
        out_console().print(f"[bold]{where}[/]")
        print_report(outcome.result, outcome.files, outcome.out_dir)
        return
    console = err_console()
    if session().verbose and outcome.trace:
        console.print(escape(redact(outcome.trace)), end="")
    message = escape(redact(str(outcome.error)))
    if outcome.exit_code == ExitCode.INTERNAL:
        console.print(
            f"[bold red]internal error:[/] {where}: {type(outcome.error).__name__}: {message}\n"
            "This is a bug in hybrid; run again with -v for the traceback and report it."
        )
    else:
        console.print(f"[bold red]error:[/] {where}: {message}")


def _closing_line(outcomes: Sequence[SpecOutcome]) -> None:
    failed = [o for o in outcomes if o.error is not None]
    if not failed:
        out_console().print(f"solved {len(outcomes)} specs")
        return
    listed = ", ".join(f"{escape(str(o.spec_path))} (exit {int(o.exit_code)})" for o in failed)
    err_console().print(
        f"solved {len(outcomes) - len(failed)} of {len(outcomes)} specs; "
        f"{len(failed)} failed: {listed}"
    )


def _outcome_json(outcome: SpecOutcome) -> dict[str, Any]:
    """The single-spec `--json` object (or its error object), with `spec` and `exit_code`."""
    head: dict[str, Any] = {"spec": str(outcome.spec_path), "exit_code": int(outcome.exit_code)}
    if outcome.error is not None:
        return {**error_document(outcome.error, outcome.exit_code), **head}
    assert outcome.result is not None
    return {**result_json(outcome.result, list(outcome.files)), **head}
