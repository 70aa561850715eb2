"""`hybrid import FILE… [-o spec.yaml]`: turn environment / requirements / explicit files into a
spec, and report everything that could not be carried over."""

from __future__ import annotations

from pathlib import Path

import click

from hybrid.adopt import import_files


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
def import_(inputs: tuple[Path, ...], output: Path, force: bool) -> None:
    """Write a spec from environment.yml, requirements.txt/.in and explicit (lock) files.

    Conda packages come from environment and explicit files, pip requirements from all.
    Whatever cannot be carried over is listed with its file and line; exit 0 all the same.
    """
    result = import_files(inputs, output, force=force)
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

