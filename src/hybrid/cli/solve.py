"""`hybrid solve SPEC`: solve every platform and write the outputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from hybrid.cache import cache_dir
from hybrid.cli.arguments import output_dir_option, spec_argument
from hybrid.cli.console import err_console, out_console
from hybrid.cli.options import solve_options
from hybrid.cli.render import summary_table
from hybrid.cli.session import echo_json
from hybrid.emit.atomic import write_files_atomically
from hybrid.emit.outputs import plan_outputs
from hybrid.errors import UsageError
from hybrid.lock.model import LockResult
from hybrid.lock.summary import result_json, summarize
from hybrid.pipeline.run import SolveOptions, lock
from hybrid.spec import load_spec
from hybrid.spec.channels import parse_mirrors
from hybrid.spec.model import Spec
from hybrid.spec.normalize import parse_instant

# Reads the previous outputs (for `update`) before they are replaced.
Before = Callable[[Spec, Path], dict[str, Any]]


@click.command()
@spec_argument
@output_dir_option
@solve_options
def solve(spec_path: Path, output_dir: Path | None, **options: Any) -> None:
    """Solve SPEC for every platform and write environment.yml, conda-<platform>.lock,
    requirements.txt and conda-lock.yml."""
    solve_and_write(spec_path, output_dir, **options)


def solve_and_write(
    spec_path: Path,
    output_dir: Path | None,
    *,
    as_json: bool,
    before: Before | None = None,
    **options: Any,
) -> tuple[LockResult, Path]:
    """Load, solve, write atomically and report; shared by `solve` and `update`."""
    spec = load_spec(spec_path)
    out_dir = output_dir if output_dir is not None else spec.directory
    previous = before(spec, out_dir) if before is not None else None
    result = lock(spec, _options(**options), previous=previous)
    files = plan_outputs(result, out_dir, hash_kind=options["hash_kind"])
    write_files_atomically(files)
    if as_json:
        echo_json(result_json(result, list(files)))
        return result, out_dir
    console = out_console()
    console.print(summary_table(summarize(result)))
    for notice in result.notices:
        err_console().print(f"[yellow]notice:[/] {escape(notice)}")
    console.print(f"wrote {len(files)} files to {out_dir}")
    return result, out_dir


def _options(
    *,
    solver: str,
    mirrors: tuple[str, ...],
    offline: bool,
    pip_resolver: str,
    pypi_mapping: str | None,
    snapshot: str | None,
    hash_kind: str,
    require_cuda: bool,
) -> SolveOptions:
    return SolveOptions(
        solver=solver,
        cache_dir=cache_dir(),
        offline=offline,
        mirrors=parse_mirrors(mirrors, base_dir=Path.cwd()),
        hash_kind=hash_kind,
        snapshot=_snapshot(snapshot),
        require_cuda=require_cuda,
        pip_resolver=pip_resolver,
        pypi_mapping=pypi_mapping,
    )


def _snapshot(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise UsageError(f"--snapshot {value!r}: not a date or RFC 3339 instant ({exc})") from None
