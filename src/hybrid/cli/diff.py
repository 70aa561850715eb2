"""`hybrid diff OLD NEW`: which packages two sets of locks add, remove, upgrade, downgrade or
rebuild. Changes are not errors: exit 0 either way."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table

from hybrid.cli.console import out_console
from hybrid.cli.session import echo_json, json_option
from hybrid.cli.tables import add_label_column, add_text_column, data_table
from hybrid.readback.diff import LockDiff, LockedPackage, PackageChange, diff_paths

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
@json_option()
def diff(old: Path, new: Path, as_json: bool) -> None:
    """Compare two output directories or two conda-lock.yml files, package by package."""
    result = diff_paths(old, new)
    if as_json:
        echo_json(result.to_dict())
        return
    out_console().print(render_diff(result))


def render_diff(result: LockDiff, *, names: tuple[str, str] | None = None) -> RenderableType:
    """The table and a count line, or one line saying nothing changed; `names` says what
    the old and new side are (default: their paths)."""
    old, new = (escape(n) for n in (names or (str(result.old), str(result.new))))
    if result.identical:
        return f"no changes between {old} and {new}"
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items() if n)
    total = len(result.changes)
    return Group(diff_table(result, title=f"{old} -> {new}"),
                 f"{total} change{'' if total == 1 else 's'}: {counts}")


def diff_table(result: LockDiff, *, title: str) -> Table:
    show_variant = len(result.variants) > 1
    table = data_table(title)
    if show_variant:
        add_label_column(table, "variant")
    for label in ("platform", "layer"):
        add_label_column(table, label)
    add_text_column(table, "package")
    add_label_column(table, "change")
    for text in ("old", "new"):
        add_text_column(table, text)
    for change in result.changes:
        style = _STYLES[change.kind]
        cells = [
            change.platform,
            change.layer if change.group == "main" else f"{change.layer} ({change.group})",
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
