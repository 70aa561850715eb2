"""The SPEC argument and -o option every command that reads outputs takes; light to import."""

from __future__ import annotations

from pathlib import Path

import click

spec_argument = click.argument(
    "spec_path", metavar="SPEC", type=click.Path(path_type=Path, dir_okay=False)
)
output_dir_option = click.option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where outputs go (default: the spec's directory).",
)
