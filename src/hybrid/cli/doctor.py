"""`hybrid doctor PREFIX`: audit an environment; exit 0 when clean, 1 with findings."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from hybrid.cli.console import err_console, out_console
from hybrid.doctor import DoctorReport, FindingsError, diagnose


@click.command()
@click.argument("prefix", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--lock", "lock_dir", metavar="DIR",
              type=click.Path(path_type=Path, file_okay=False),
              help="Also compare with the outputs in DIR (conda-<platform>.lock, "
              "requirements.txt).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
def doctor(prefix: Path, lock_dir: Path | None, as_json: bool) -> None:
    """Audit the environment at PREFIX: pip over conda, duplicate distributions, conda files
    removed, `pip check`, and (with --lock) packages that are not in the lock.

    Exit 0 when nothing is found, 1 when something is.
    """
    report = diagnose(prefix.absolute(), lock_dir=lock_dir)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
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
    table = Table(title=f"{report.prefix}: {len(report.findings)} finding(s)",
                  title_justify="left")
    table.add_column("code")
    table.add_column("subject")
    table.add_column("reason")
    table.add_column("what to do")
    for finding in report.findings:
        table.add_row(*(escape(cell) for cell in
                        (finding.code, finding.subject, finding.reason, finding.fix)))
    console.print(table)
