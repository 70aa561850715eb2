"""`hybrid export KIND [SPEC]`: pixi.lock, a Dockerfile, an Apptainer definition or a
CycloneDX SBOM from the locks `hybrid solve` wrote; never solves."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click
from rich.markup import escape

from hybrid.cache import cache_dir
from hybrid.cli.console import err_console, out_console
from hybrid.export import read_export_source
from hybrid.export.run import EXPORT_KINDS, ExportKind, ExportOptions, run_export
from hybrid.spec import load_spec
from hybrid.spec.channels import parse_mirrors


@click.command()
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@click.argument(
    "spec_path", metavar="[SPEC]", required=False, default="spec.yaml",
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where `hybrid solve` wrote the locks (default: the spec's directory).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="The file to write (default: next to the locks: pixi.lock, Dockerfile, "
              "hybrid.def, sbom-<platform>.cdx.json).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--allow-stale", is_flag=True,
              help="Export even when the locks do not match the spec (`hybrid check`).")
@click.option("--variant", metavar="NAME", help="Which variant (required when several; "
              "not for pixi, which holds them all).")
@click.option("--platform", metavar="PLATFORM",
              help="docker/apptainer: linux-64 (default) or linux-aarch64; sbom: default "
              "linux-64 if locked, else the spec's first platform.")
@click.option("--base-image", metavar="IMAGE@sha256:…",
              help="docker/apptainer: the base image, pinned by digest, with micromamba on "
              "PATH (default: mambaorg/micromamba 2.3.3).")
@click.option("--mirror", "mirrors", multiple=True, metavar="NAME=URL",
              help="The solve read channel NAME from URL: look its repodata up there in the "
              "cache (licences, record fields); the export names NAME's URLs all the same.")
@click.option("--smoke-import", "smoke_imports", multiple=True, metavar="MODULE",
              help="docker/apptainer: a module the smoke test imports, instead of those "
              "derived from the spec. Repeatable.")
@click.option("--group", metavar="NAME",
              help="docker/apptainer/sbom: also this dependency group (`groups:` in the spec) "
              "on the base; pixi.lock holds every group as an environment `<env>-<group>`.")
def export(
    kind: str,
    spec_path: Path,
    output_dir: Path | None,
    output: Path | None,
    force: bool,
    allow_stale: bool,
    variant: str | None,
    platform: str | None,
    base_image: str | None,
    mirrors: tuple[str, ...],
    smoke_imports: tuple[str, ...],
    group: str | None,
) -> None:
    """Write KIND (pixi, docker, apptainer or sbom) from SPEC's locks.

    Reads conda-lock.yml, the explicit files and requirements.txt exactly as `hybrid
    solve` wrote them. Exit 2: a lock file is missing or OUTPUT exists (--force);
    4: the locks are stale (re-run `hybrid solve`, or --allow-stale).
    """
    spec = load_spec(spec_path)
    out_dir = output_dir if output_dir is not None else spec.directory
    source = read_export_source(spec, out_dir, allow_stale=allow_stale,
                                mirrors=parse_mirrors(mirrors, base_dir=Path.cwd()))
    for reason in source.stale:
        err_console().print(f"[yellow]warning:[/] stale (--allow-stale): {escape(reason)}")
    options = ExportOptions(
        output=output, variant=variant, platform=platform, base_image=base_image,
        smoke_imports=smoke_imports or None, force=force, group=group,
    )
    result = run_export(cast(ExportKind, kind), source, options, cache_dir=cache_dir())
    out_console().print(f"wrote {escape(str(result.path))} ({escape(result.summary)})")
    for note in result.notes:
        err_console().print(f"[yellow]warning:[/] {escape(note)}")
    for notice in result.notices:
        err_console().print(f"[yellow]notice:[/] {escape(notice)}")
