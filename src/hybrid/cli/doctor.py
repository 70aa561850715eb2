"""`hybrid doctor PREFIX`: audit an environment; exit 0 when clean, 1 with findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
@click.option("--gpu", is_flag=True,
              help="Also report the NVIDIA driver's CUDA version, the lock's variant, the CUDA "
              "runtimes on disk and what torch/jax see; a driver older than the lock's floor "
              "or two CUDA runtimes are findings. Without a GPU it says so.")
@click.option("--group", metavar="NAME",
              help="With --lock: the environment holds this dependency group too "
              "(conda-<platform>.<group>.lock, requirements-<group>.txt).")
@json_option("Print a machine-readable report.")
def doctor(
    prefix: Path, lock_dir: Path | None, gpu: bool, group: str | None, as_json: bool
) -> None:
    """Audit the environment at PREFIX: pip over conda, duplicate distributions, conda files
    removed, `pip check`, and (with --lock) packages that are not in the lock.

    Exit 0 when nothing is found, 1 when something is.
    """
    report = diagnose(prefix.absolute(), lock_dir=lock_dir, gpu=gpu, group=group)
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
    if report.gpu is not None:
        for line in gpu_lines(report.gpu):
            console.print(escape(line))
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


def gpu_lines(gpu: dict[str, Any]) -> list[str]:
    """`--gpu`'s report in words, one fact a line."""
    driver = gpu["driver"]
    lines = [f"gpu: driver supports CUDA {driver} (from {gpu['driver_source']})" if driver
             else f"gpu: no GPU driver found ({gpu['driver_source']})"]
    if gpu["variant"] is not None:
        fits = {True: "fits", False: "does NOT fit", None: "cannot be compared"}[gpu["fits"]]
        lines.append(f"gpu: lock made for variant {gpu['variant']}"
                     + (f" (driver floor CUDA {gpu['floor']}): {fits}" if gpu["floor"] else ""))
    for runtime in gpu["runtimes"]:
        lines.append(f"gpu: CUDA runtime from {runtime['layer']}: {runtime['path']}")
    if not gpu["runtimes"]:
        lines.append("gpu: no CUDA runtime (libcudart) in the environment")
    for name, view in sorted(gpu["frameworks"].items()):
        lines.append(f"gpu: {name}: {view}")
    return lines
