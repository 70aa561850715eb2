"""One export: read the locks, render the chosen format, write it where asked (or next to
the locks), and say what was written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from hybrid.errors import UsageError
from hybrid.export.apptainer import APPTAINER_DEF, render_apptainer
from hybrid.export.container import DEFAULT_BASE_IMAGE, container_recipe
from hybrid.export.dockerfile import DOCKERFILE, render_dockerfile
from hybrid.export.imports import smoke_modules
from hybrid.export.locks import ExportSource, VariantLock
from hybrid.export.output import write_export
from hybrid.export.pixi import PIXI_LOCK, render_pixi_lock
from hybrid.export.sbom import render_sbom, sbom_filename
from hybrid.spec.variants import check_group_option

ExportKind = Literal["pixi", "docker", "apptainer", "sbom"]
EXPORT_KINDS: tuple[ExportKind, ...] = get_args(ExportKind)
CONTAINER_KINDS: tuple[ExportKind, ...] = ("docker", "apptainer")


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportOptions:
    output: Path | None = None
    variant: str | None = None
    platform: str | None = None
    base_image: str | None = None
    smoke_imports: tuple[str, ...] | None = None
    force: bool = False
    #: a dependency group exported with the base (docker, apptainer, sbom)
    group: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportResult:
    """What was written; `notes` are what the user should know about it (warnings),
    `notices` what it leaves out on purpose (the spec's other dependency groups)."""

    path: Path
    summary: str
    notes: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()


def run_export(
    kind: ExportKind, source: ExportSource, options: ExportOptions, *, cache_dir: Path
) -> ExportResult:
    _refuse_inapplicable(kind, options)
    if kind == "pixi":
        if options.variant is not None or options.platform is not None:
            raise UsageError("pixi.lock holds every variant and platform; drop --variant "
                             "and --platform")
        path = options.output or source.out_dir / PIXI_LOCK
        text = render_pixi_lock(source, cache_dir=cache_dir)
        environments = len(source.variants) * (1 + len(source.spec.groups))
        summary = (f"{environments} environment(s), "
                   f"{len(source.spec.platforms)} platform(s)")
        write_export(path, text, force=options.force)
        return ExportResult(path=path, summary=summary)
    check_group_option(source.spec, options.group)
    variant = source.variant(options.variant)
    if kind == "sbom":
        platform = options.platform or _default_platform(variant)
        path = options.output or variant.directory / sbom_filename(platform, options.group)
        text = render_sbom(source, variant, platform=platform, cache_dir=cache_dir,
                           group=options.group)
        locked = variant.platform(platform).with_group(options.group)
        summary = (f"CycloneDX, {len(locked.conda)} conda and {len(locked.pip)} pip "
                   f"components for {platform}")
        write_export(path, text, force=options.force)
        return ExportResult(path=path, summary=summary, notices=_left_out(source, options))
    return _container(kind, source, variant, options)


def _left_out(source: ExportSource, options: ExportOptions) -> tuple[str, ...]:
    """The notice that the spec's dependency groups are not in the export."""
    left = [g.name for g in source.spec.groups if g.name != options.group]
    if not left:
        return ()
    return (f"dependency group(s) left out: {', '.join(left)} (add one with --group NAME)",)


def _container(
    kind: ExportKind, source: ExportSource, variant: VariantLock, options: ExportOptions
) -> ExportResult:
    platform = options.platform or "linux-64"
    name = DOCKERFILE if kind == "docker" else APPTAINER_DEF
    path = options.output or variant.directory / name
    locked = variant.platform(platform)
    modules = (options.smoke_imports if options.smoke_imports is not None
               else smoke_modules(source.spec, locked))
    recipe = container_recipe(
        source, variant, platform=platform, base_image=options.base_image or DEFAULT_BASE_IMAGE,
        modules=modules, recipe_dir=path.absolute().parent, group=options.group,
    )
    text = render_dockerfile(recipe) if kind == "docker" else render_apptainer(recipe)
    write_export(path, text, force=options.force)
    imports = ", ".join(modules) or "nothing"
    local = sorted({p.channel for p in locked.conda if p.url.startswith("file:")})
    notes = tuple(
        f"the lock names packages of the local channel {channel}; a container build cannot "
        "download them (solve against a channel the build can reach)"
        for channel in local
    )
    return ExportResult(path=path, summary=f"{platform}, from {recipe.base_image}; "
                        f"smoke test imports {imports}", notes=notes,
                        notices=_left_out(source, options))


def _default_platform(variant: VariantLock) -> str:
    platforms = [p.platform for p in variant.platforms]
    return "linux-64" if "linux-64" in platforms else platforms[0]


def _refuse_inapplicable(kind: ExportKind, options: ExportOptions) -> None:
    if kind == "pixi" and options.group is not None:
        raise UsageError("pixi.lock holds every group, each as its own environment; drop --group")
    if kind in CONTAINER_KINDS:
        return
    if options.base_image is not None:
        raise UsageError(f"--base-image applies to docker and apptainer, not {kind}")
    if options.smoke_imports is not None:
        raise UsageError(f"--smoke-import applies to docker and apptainer, not {kind}")
