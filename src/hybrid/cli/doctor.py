"""`hybrid doctor PREFIX`: audit an environment; exit 0 when clean, 1 with findings."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from hybrid.cli.console import err_console, out_console
from hybrid.cli.session import echo_json, json_option
from hybrid.cli.tables import add_label_column, add_text_column, data_table
from hybrid.doctor import DoctorReport, FindingsError, diagnose


@click.command()
@click.argument("prefix", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--lock", "lock_dir", metavar="DIR",
              type=click.Path(path_type=Path, file_okay=False),
              help="Also compare with the outputs in DIR (conda-<platform>.lock, "
              "requirements.txt).")
@json_option("Print a machine-readable report.")
def doctor(prefix: Path, lock_dir: Path | None, as_json: bool) -> None:
    """Audit the environment at PREFIX: pip over conda, duplicate distributions, conda files
    removed, `pip check`, and (with --lock) packages that are not in the lock.

    Exit 0 when nothing is found, 1 when something is.
    """
    report = diagnose(prefix.absolute(), lock_dir=lock_dir)
    if as_json:
        echo_json(report.to_dict())
    else:
        _print(report)
    if not report.clean:
        raise FindingsError(
            f"{report.prefix}: {len(report.findings)} finding(s)",
            hint="each finding above says what to do",
        )


def _print(report: DoctorReport) -> None:
    console = out_console()
    for note in report.skipped:
        err_console().print(f"[yellow]skipped:[/] {escape(note)}")
    if report.clean:
        console.print(f"{escape(str(report.prefix))}: no problems found "
                      f"(checked {', '.join(report.checked)})")
        return
    console.print(findings_table(report))


def findings_table(report: DoctorReport) -> Table:
    table = data_table(f"{escape(str(report.prefix))}: {len(report.findings)} finding(s)")
    add_label_column(table, "code")
    for header in ("subject", "reason", "what to do"):
        add_text_column(table, header)
    for finding in report.findings:
        table.add_row(*(escape(cell) for cell in
                        (finding.code, finding.subject, finding.reason, finding.fix)))
    return table
