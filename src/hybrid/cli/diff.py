"""`hybrid diff OLD NEW`: which packages two sets of locks add, remove, upgrade, downgrade or
rebuild. Changes are not errors: exit 0 either way."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table

from hybrid.cli.console import out_console
from hybrid.diff import LockDiff, LockedPackage, PackageChange, diff_paths

_STYLES = {
    "added": "green",
    "removed": "red",
    "upgraded": "cyan",
    "downgraded": "yellow",
    "rebuilt": "magenta",
}
_LOCKS = click.Path(path_type=Path)


@click.command()
@click.argument("old", metavar="OLD", type=_LOCKS)
@click.argument("new", metavar="NEW", type=_LOCKS)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable result.")
def diff(old: Path, new: Path, as_json: bool) -> None:
    """Compare two output directories or two conda-lock.yml files, package by package."""
    result = diff_paths(old, new)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, sort_keys=True))
        return
    out_console().print(render_diff(result))


def render_diff(result: LockDiff) -> RenderableType:
    """The table and a count line, or one line saying nothing changed."""
    if result.identical:
        return f"no changes between {escape(str(result.old))} and {escape(str(result.new))}"
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items() if n)
    return Group(diff_table(result), f"{len(result.changes)} changes: {counts}")


def diff_table(result: LockDiff) -> Table:
    show_variant = len(result.variants) > 1
    table = Table(title=f"{result.old} -> {result.new}", title_justify="left")
    if show_variant:
        table.add_column("variant")
    for column in ("platform", "layer", "package", "change", "old", "new"):
        table.add_column(column)
    for change in result.changes:
        style = _STYLES[change.kind]
        cells = [
            change.platform,
            change.layer,
            change.name,
            f"[{style}]{change.kind}[/]",
            *_versions(change),
        ]
        table.add_row(*([change.variant, *cells] if show_variant else cells))
    return table


def _versions(change: PackageChange) -> tuple[str, str]:
    """The old and new cells: versions, and what tells two builds apart when they share one."""
    old, new = change.old, change.new
    if change.kind != "rebuilt" or old is None or new is None:
        return (_cell(old.version if old else ""), _cell(new.version if new else ""))
    return (_cell(_build_label(old, new)), _cell(_build_label(new, old)))


def _build_label(package: LockedPackage, other: LockedPackage) -> str:
    if package.build != other.build or package.version != other.version:
        return " ".join(filter(None, (package.version, package.build)))
    filename = package.url.rsplit("/", 1)[-1]
    if filename != other.url.rsplit("/", 1)[-1]:
        return f"{package.version} {filename}"
    if package.url != other.url:
        return f"{package.version} {package.url}"
    digest = package.sha256 or package.md5 or ""
    return f"{package.version} {digest[:12]}".strip()


def _cell(text: str) -> str:
    return escape(text) if text else "-"
