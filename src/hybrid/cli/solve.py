"""`hybrid solve SPEC`: solve every platform and write the outputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import click
from rich.markup import escape

from hybrid.cli.arguments import output_dir_option, spec_argument
from hybrid.cli.comparison import print_comparisons
from hybrid.cli.console import err_console, out_console
from hybrid.cli.options import solve_options
from hybrid.cli.render import summary_table
from hybrid.cli.session import echo_json
from hybrid.emit.layout import refuse_overwriting_spec
from hybrid.lock.model import LockResult, PreviousLock
from hybrid.lock.summary import promotion_lines, result_json, summarize
from hybrid.output_set import write_output_set
from hybrid.pipeline.files import solve_to_files
from hybrid.pipeline.options import SolveOptions
from hybrid.spec import load_spec
from hybrid.spec.model import Spec

# Reads the previous outputs (for `update`) before they are replaced.
Before = Callable[[Spec, Path], Mapping[str, PreviousLock]]


@click.command()
@spec_argument
@output_dir_option
@solve_options
def solve(
    spec_path: Path, output_dir: Path | None, *, options: SolveOptions, as_json: bool
) -> None:
    """Solve SPEC for every platform and write environment.yml, conda-<platform>.lock,
    requirements.txt and conda-lock.yml."""
    solve_and_write(spec_path, output_dir, options=options, as_json=as_json)


def solve_and_write(
    spec_path: Path,
    output_dir: Path | None,
    *,
    options: SolveOptions,
    as_json: bool,
    before: Before | None = None,
) -> tuple[LockResult, Path]:
    """Load, solve, write the output set as one unit and report; shared by `solve` and
    `update`. A spec that would be overwritten by an output is refused before solving."""
    spec = load_spec(spec_path)
    out_dir = output_dir if output_dir is not None else spec.directory
    refuse_overwriting_spec(spec, out_dir)
    previous = before(spec, out_dir) if before is not None else None
    solved = solve_to_files(spec, options, out_dir, previous=previous)
    result, files = solved.result, solved.files
    write_output_set(files, directory=out_dir, on_wait=tell_waiting)
    if as_json:
        document = result_json(result, list(files))
        if result.comparisons:
            document["solver_comparison"] = [c.to_dict() for c in result.comparisons]
        echo_json(document)
        return result, out_dir
    print_comparisons(err_console(), result.comparisons)
    console = out_console()
    console.print(summary_table(summarize(result)))
    for line in promotion_lines(result):
        console.print(f"moved to conda: {escape(line)}")
    for notice in result.notices:
        err_console().print(f"[yellow]notice:[/] {escape(notice)}")
    console.print(f"wrote {len(files)} files to {out_dir}")
    return result, out_dir


def tell_waiting(lock: Path) -> None:
    """What a writer prints before it waits for another to finish with the output directory."""
    err_console().print(
        f"waiting for another hybrid writing to {escape(str(lock.parent))} "
        f"(it holds {escape(lock.name)}); Ctrl-C to stop"
    )
