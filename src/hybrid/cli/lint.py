"""`hybrid lint FILE…`: check environment, requirements, explicit and spec files.

Exit 0 when clean, 1 on findings, 2 for usage errors; never a traceback, whatever the input.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from hybrid.errors import FindingsError
from hybrid.lint import lint_files, parse_codes
from hybrid.redact import redact, redact_data


@click.command()
@click.argument("paths", metavar="FILE…", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--select",
    "select",
    multiple=True,
    metavar="CODES",
    help="Report only these rule codes (comma-separated, e.g. H003,H008).",
)
@click.option(
    "--ignore",
    "ignore",
    multiple=True,
    metavar="CODES",
    help="Do not report these rule codes (comma-separated).",
)
def lint(
    paths: tuple[Path, ...], output_format: str, select: tuple[str, ...], ignore: tuple[str, ...]
) -> None:
    """Find the mistakes that break conda-first / pip-last environments (offline).

    Prints `FILE:LINE:COL: CODE message (fix: …)`; exit 1 on findings, 0 when clean.
    """
    selected = parse_codes(select, option="--select") if select else None
    ignored = parse_codes(ignore, option="--ignore")
    findings = lint_files(paths, select=selected, ignore=ignored)
    if output_format == "json":
        click.echo(json.dumps(redact_data([f.to_dict() for f in findings]), indent=2))
    else:
        for item in findings:
            click.echo(redact(str(item)))
    if findings:
        # Exit 1 through the error boundary (click's Exit is not passed on by `main`).
        raise FindingsError(f"{len(findings)} finding(s) in {len(paths)} file(s)")
