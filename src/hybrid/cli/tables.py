"""Rich tables that never cut a value: on a narrow terminal, long cells (package names,
versions, prose) wrap, and a word longer than its column is folded onto the next line instead
of ending in `…`. Short labels from a fixed vocabulary (platform, layer, change) never wrap."""

from __future__ import annotations

from typing import Literal

from rich.table import Table

Justify = Literal["left", "right"]


def data_table(title: str) -> Table:
    return Table(title=title, title_justify="left")


def add_label_column(table: Table, header: str, *, justify: Justify = "left") -> None:
    """A column of short labels, kept on one line (the other columns give way)."""
    table.add_column(header, justify=justify, no_wrap=True)


def add_text_column(table: Table, header: str, *, justify: Justify = "left") -> None:
    """A column of values that must survive whole: wrapped at spaces, folded inside words."""
    table.add_column(header, justify=justify, overflow="fold")
