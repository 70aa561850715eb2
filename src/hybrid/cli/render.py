"""Rich renderings of results for people."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from hybrid.cli.tables import add_label_column, add_text_column, data_table
from hybrid.lock.summary import PlatformSummary


def summary_table(rows: Sequence[PlatformSummary]) -> Table:
    show_variant = any(row.variant != "default" for row in rows)
    show_pip = any(row.pip_count is not None for row in rows)
    table = data_table("environment")
    if show_variant:
        add_label_column(table, "variant")
    add_label_column(table, "platform")
    add_label_column(table, "packages", justify="right")
    add_text_column(table, "python")
    add_text_column(table, "top-level packages")
    if show_pip:
        add_label_column(table, "pip", justify="right")
    for row in rows:
        top = ", ".join(f"{name} {version}" for name, version in row.top_level) or "-"
        cells = [row.platform, str(row.package_count), row.python or "-", top]
        if show_pip:
            cells.append(str(row.pip_count) if row.pip_count is not None else "-")
        table.add_row(*([row.variant, *cells] if show_variant else cells))
    return table
