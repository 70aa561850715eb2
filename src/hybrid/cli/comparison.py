"""`--solver both`: the table of rattler's and libmamba's answers per platform (on stderr)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape

from hybrid.cli.tables import add_label_column, add_text_column, data_table
from hybrid.conda.compare import SolverComparison, SolverRun, details, summary


def print_comparisons(console: Console, comparisons: Sequence[SolverComparison]) -> None:
    """One row per variant x platform, then each difference on its own line."""
    if not comparisons:
        return
    first = comparisons[0]
    left, right = first.left.solver, first.right.solver
    table = data_table(f"conda solvers side by side (the lock is {left}'s)")
    add_label_column(table, "platform")
    add_label_column(table, f"{left} s", justify="right")
    add_label_column(table, f"{right} s", justify="right")
    add_label_column(table, "packages", justify="right")
    add_label_column(table, "verified")
    add_text_column(table, "differences")
    for item in comparisons:
        where = item.platform + (f" ({item.label})" if item.label else "")
        table.add_row(
            where,
            f"{item.left.seconds:.2f}",
            f"{item.right.seconds:.2f}",
            f"{item.left.packages}/{item.right.packages}",
            f"{_verified(item.left)}/{_verified(item.right)}",
            escape(item.right.error or summary(item.diff)),
        )
    console.print(table)
    for item in comparisons:
        for line in details(item.diff, (left, right)):
            console.print(f"  {escape(item.platform)}: {escape(line)}")
        for run in (item.left, item.right):
            for unmet in run.unmet:
                console.print(f"  [yellow]{escape(run.solver)} unmet:[/] {escape(unmet)}")


def _verified(run: SolverRun) -> str:
    if run.error is not None:
        return "-"
    return "yes" if not run.unmet else "NO"
