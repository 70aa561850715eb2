"""`hybrid check SPEC`: exit 0 when the outputs match the inputs, 4 when stale. No solving."""

from __future__ import annotations

from pathlib import Path

import click

from hybrid.check import check_outputs
from hybrid.cli.console import out_console
from hybrid.cli.options import output_dir_option, spec_argument
from hybrid.errors import StaleError
from hybrid.spec import load_spec


@click.command()
@spec_argument
@output_dir_option
def check(spec_path: Path, output_dir: Path | None) -> None:
    """Tell whether the outputs were produced from exactly these inputs (no solve, no network)."""
    spec = load_spec(spec_path)
    out_dir = output_dir if output_dir is not None else spec.directory
    report = check_outputs(spec, out_dir)
    if not report.fresh:
        raise StaleError(
            f"outputs in {out_dir} are stale:\n" + "\n".join(f"  {r}" for r in report.stale),
            hint=f"run `hybrid solve {spec_path}` to re-create them",
        )
    out_console().print(f"{out_dir}: up to date ({report.input_hash})")
