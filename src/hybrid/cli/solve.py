"""`hybrid solve SPEC`: solve every platform and write the outputs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import get_args

import click
from rich.markup import escape

from hybrid.cache import cache_dir
from hybrid.cli.console import err_console, out_console
from hybrid.cli.options import output_dir_option, solve_options, spec_argument
from hybrid.cli.render import summary_table
from hybrid.conda.channels import parse_mirrors
from hybrid.emit.atomic import write_files_atomically
from hybrid.emit.explicit import HashKind
from hybrid.emit.outputs import plan_outputs
from hybrid.errors import UsageError
from hybrid.pipeline import SolveOptions, lock
from hybrid.spec import load_spec
from hybrid.spec.normalize import parse_instant
from hybrid.summary import result_json, summarize


@click.command()
@spec_argument
@output_dir_option
@solve_options
@click.option(
    "--hash",
    "hash_kind",
    type=click.Choice(get_args(HashKind)),
    default="md5",
    show_default=True,
    help="Hash in explicit files; sha256 needs conda >= 24.9 or mamba >= 2.1 to install.",
)
@click.option(
    "--require-cuda", is_flag=True,
    help="Fail instead of using CPU builds where a CUDA variant meets a platform without CUDA.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable result.")
def solve(
    spec_path: Path,
    output_dir: Path | None,
    solver: str,
    mirrors: tuple[str, ...],
    offline: bool,
    pip_resolver: str,
    pypi_mapping: str | None,
    snapshot: str | None,
    hash_kind: HashKind,
    require_cuda: bool,
    as_json: bool,
) -> None:
    """Solve SPEC for every platform and write environment.yml and conda-<platform>.lock."""
    spec = load_spec(spec_path)
    options = SolveOptions(
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
    result = lock(spec, options)
    out_dir = output_dir if output_dir is not None else spec.directory
    files = plan_outputs(result, out_dir, hash_kind=hash_kind)
    write_files_atomically(files)
    if as_json:
        click.echo(json.dumps(result_json(result, list(files)), indent=2, sort_keys=True))
        return
    console = out_console()
    console.print(summary_table(summarize(result)))
    for notice in result.notices:
        err_console().print(f"[yellow]notice:[/] {escape(notice)}")
    console.print(f"wrote {len(files)} files to {out_dir}")


def _snapshot(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise UsageError(f"--snapshot {value!r}: not a date or RFC 3339 instant ({exc})") from None
