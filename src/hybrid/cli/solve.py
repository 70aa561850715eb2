"""`hybrid solve SPEC…` / `--all DIR`: solve every platform and write the outputs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import click
from rich.markup import escape

from hybrid.cli.arguments import output_dir_option
from hybrid.cli.comparison import print_comparisons
from hybrid.cli.console import err_console, out_console
from hybrid.cli.options import solve_options
from hybrid.cli.progress import progress_display
from hybrid.cli.render import summary_table
from hybrid.cli.session import echo_json
from hybrid.emit.layout import refuse_overwriting_spec
from hybrid.errors import UsageError
from hybrid.lock.model import LockResult, PreviousLock
from hybrid.lock.summary import promotion_lines, result_json, summarize
from hybrid.output_set import write_output_set
from hybrid.pipeline.context import RunContext
from hybrid.pipeline.files import solve_to_files
from hybrid.pipeline.options import SolveOptions
from hybrid.spec import load_spec
from hybrid.spec.model import Spec

# Reads the previous outputs (for `update`) before they are replaced.
Before = Callable[[Spec, Path], Mapping[str, PreviousLock]]


@click.command()
@click.argument(
    "spec_paths", metavar="[SPEC]...", nargs=-1, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--all", "roots", multiple=True, metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Solve every spec.yaml under DIR (recursively; hidden directories, node_modules and "
    "virtual environments are skipped).",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None,
    help="With several specs: how many are solved at once (default: the CPU count, 2 to 8).",
)
@output_dir_option
@solve_options
def solve(
    spec_paths: tuple[Path, ...],
    roots: tuple[Path, ...],
    jobs: int | None,
    output_dir: Path | None,
    *,
    options: SolveOptions,
    as_json: bool,
) -> int:
    """Solve SPEC for every platform and write environment.yml, conda-<platform>.lock,
    requirements.txt and conda-lock.yml next to it (or in -o DIR). With several SPECs or
    --all, each spec's outputs go next to it; the specs share one solver and run at once."""
    if not spec_paths and not roots:
        raise UsageError("give a SPEC file or --all DIR", hint="hybrid solve spec.yaml")
    if len(spec_paths) == 1 and not roots:
        solve_and_write(spec_paths[0], output_dir, options=options, as_json=as_json)
        return 0
    from hybrid.cli.solve_many import solve_many

    return solve_many(
        spec_paths, roots, output_dir=output_dir, jobs=jobs, options=options, as_json=as_json
    )


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
    with progress_display(quiet=as_json) as progress:
        solved = solve_to_files(
            spec, options, out_dir, previous=previous, context=RunContext(progress=progress)
        )
    result, files = solved.result, solved.files
    write_output_set(files, directory=out_dir, on_wait=tell_waiting)
    if as_json:
        echo_json(result_json(result, list(files)))
        return result, out_dir
    print_report(result, files, out_dir)
    return result, out_dir


def print_report(result: LockResult, files: Iterable[Path], out_dir: Path) -> None:
    """The summary of one solved spec: its table, its notices, what was written where
    (and, under `--solver both`, the solvers compared, on stderr)."""
    print_comparisons(err_console(), result.comparisons)
    console = out_console()
    console.print(summary_table(summarize(result)))
    for line in promotion_lines(result):
        console.print(f"moved to conda: {escape(line)}")
    for notice in result.notices:
        err_console().print(f"[yellow]notice:[/] {escape(notice)}")
    console.print(f"wrote {len(list(files))} files to {out_dir}")


def tell_waiting(lock: Path) -> None:
    """What a writer prints before it waits for another to finish with the output directory."""
    err_console().print(
        f"waiting for another hybrid writing to {escape(str(lock.parent))} "
        f"(it holds {escape(lock.name)}); Ctrl-C to stop"
    )
