"""`hybrid check SPEC`: exit 0 when the outputs match the inputs, 4 when stale. No solving.

First the fast path (the spec file's bytes against the hash every output records, each
output's body against its recorded digest); only when that cannot tell, the spec is loaded
and validated, the input hash recomputed, and every stale file and changed input named.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from hybrid.cli.arguments import output_dir_option, spec_argument
from hybrid.cli.console import out_console
from hybrid.errors import StaleError
from hybrid.readback.check_fast import fresh_by_source

if TYPE_CHECKING:
    from hybrid.readback.check import CheckReport


@click.command()
@spec_argument
@output_dir_option
def check(spec_path: Path, output_dir: Path | None) -> None:
    """Tell whether the outputs were produced from exactly these inputs (no solve, no network)."""
    out_dir = output_dir if output_dir is not None else spec_path.parent
    if fresh_by_source(spec_path, out_dir):
        out_console().print(f"{out_dir}: up to date")
        return
    from hybrid.readback.check import check_outputs
    from hybrid.spec import load_spec

    spec = load_spec(spec_path)
    report = check_outputs(spec, out_dir)
    if not report.fresh:
        raise StaleError(
            _stale_message(out_dir, report),
            hint=f"run `hybrid solve {spec_path}` to re-create them",
        )
    out_console().print(f"{out_dir}: up to date ({report.input_hash})")


def _stale_message(out_dir: Path, report: CheckReport) -> str:
    lines = [f"outputs in {out_dir} are stale:", *(f"  {reason}" for reason in report.stale)]
    if report.changes:
        lines.append("changed in the inputs since they were written:")
        lines.extend(f"  {change}" for change in report.changes)
    return "\n".join(lines)
