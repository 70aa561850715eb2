"""`hybrid validate SPEC`: check a spec without solving."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from hybrid.cli.arguments import spec_argument
from hybrid.cli.console import out_console
from hybrid.spec import load_spec


@click.command()
@spec_argument
def validate(spec_path: Path) -> None:
    """Check SPEC against the schema and parse every entry; solve nothing."""
    spec = load_spec(spec_path)
    out_console().print(
        f"{escape(str(spec_path))}: valid — {len(spec.conda)} conda and {len(spec.pip)} pip "
        f"entries for {', '.join(spec.platforms)}"
    )
