"""`hybrid import FILE… [-o spec.yaml]`: turn environment / requirements / explicit files into a
spec, and report everything that could not be carried over."""

from __future__ import annotations

from pathlib import Path

import click

from hybrid.importer import import_files, parse_channel_map


@click.command(name="import")
@click.argument("inputs", metavar="FILE…", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("spec.yaml"),
    show_default=True,
    help="Where to write the spec.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option(
    "--channel-map",
    "channel_map",
    multiple=True,
    metavar="OLD=NEW",
    help="Write channel NEW wherever the inputs use OLD (`channels:` and `OLD::pkg`), "
    "e.g. defaults=conda-forge. Repeatable.",
)
def import_(
    inputs: tuple[Path, ...], output: Path, force: bool, channel_map: tuple[str, ...]
) -> None:
    """Write a spec from environment.yml, requirements.txt/.in and explicit (lock) files.

    Conda packages come from environment and explicit files, pip requirements from all;
    `-r https://…` includes are fetched. Whatever cannot be carried over is listed with
    its file and line; exit 0 all the same.
    """
    mapping = parse_channel_map(channel_map)
    result = import_files(inputs, output, force=force, channel_map=mapping)
    spec = result.spec
    click.echo(
        f"wrote {result.path}: {len(spec.conda)} conda and {len(spec.pip)} pip entries "
        f"for {', '.join(spec.platforms)}"
    )
    if result.notes:
        click.echo(f"{len(result.notes)} thing(s) not carried over as written:")
        for note in result.notes:
            click.echo(f"  {note}")
    click.echo(f"next: hybrid solve {result.path}")
