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
@click.option(
    "--offline", is_flag=True, help="Check the pip layer with the cached mapping; no network."
)
@click.option(
    "--pypi-mapping", metavar="FILE|URL", help="conda -> PyPI name mapping to check with."
)
def validate(spec_path: Path, offline: bool, pypi_mapping: str | None) -> None:
    """Check SPEC against the schema, parse every entry and check that no package is in
    both layers; solve nothing. Exit 0 means `solve` finds no spec error."""
    from hybrid.cache import cache_dir
    from hybrid.guards.overlap import check_groups_no_overlap, check_no_overlap
    from hybrid.mapping import mapping_for_channels

    spec = load_spec(spec_path)
    if spec.pip or any(group.pip for group in spec.groups):
        mapping = mapping_for_channels(
            spec.channels, override=pypi_mapping, offline=offline, cache_dir=cache_dir()
        )
        check_no_overlap(spec, mapping)
        check_groups_no_overlap(spec, mapping)
    out_console().print(
        f"{escape(str(spec_path))}: valid — {len(spec.conda)} conda and {len(spec.pip)} pip "
        f"entries for {', '.join(spec.platforms)}"
    )
