"""Tables on an 80-column terminal never cut a package name (or a version): long cells wrap
and fold, and nothing ends in `…`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from rich.console import Console

from hybrid.cli.doctor import findings_table
from hybrid.devtools.local_channel import PackageSpec, build_channel
from hybrid.doctor import DoctorReport, Finding
from tests.conftest import RunCli

LONG = "hybrid-test-a-package-name-far-too-long-for-a-column-of-an-eighty-column-terminal"
SPEC = """\
version: 1
name: narrow
channels: [long-names]
platforms: [linux-64, osx-arm64]
{snapshot}conda:
  - {name}
"""


def _ms(day: str) -> int:
    return int(dt.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()) * 1000


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    packages = [
        PackageSpec(name=LONG, version=version, timestamp=_ms(day))
        for version, day in (("1.0.0", "2024-01-10"), ("2.0.0.post20240601", "2024-06-01"))
    ]
    return build_channel(tmp_path_factory.mktemp("long-names"), packages)


@pytest.fixture(autouse=True)
def _narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def column(table: str, header: str) -> str:
    """The text of one column of a rendered rich table, its cells' lines joined."""
    lines = table.splitlines()
    head = next(line for line in lines if line.startswith("┃"))
    index = [cell.strip() for cell in head.split("┃")].index(header)
    body = [line for line in lines if line.startswith("│")]
    return "".join(line.split("│")[index].strip() for line in body)


def widest_row(table: str) -> int:
    return max(len(line) for line in table.splitlines() if line[:1] in "┏┃┡│└")


def _solve(run_cli: RunCli, channel: Path, folder: Path, snapshot: str) -> str:
    folder.mkdir()
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.format(snapshot=snapshot, name=LONG), encoding="utf-8")
    result = run_cli("solve", spec, "--mirror", f"long-names={channel}")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_summary_keeps_a_long_name_whole(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    stdout = _solve(run_cli, channel, tmp_path / "new", snapshot="")
    assert widest_row(stdout) <= 80
    assert "…" not in stdout
    assert column(stdout, "top-level packages") == f"{LONG}2.0.0.post20240601" * 2


def test_the_diff_keeps_a_long_name_and_versions_whole(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    _solve(run_cli, channel, tmp_path / "old", snapshot="snapshot: 2024-03-01\n")
    _solve(run_cli, channel, tmp_path / "new", snapshot="")
    result = run_cli("diff", tmp_path / "old", tmp_path / "new")
    assert result.exit_code == 0, result.output
    assert widest_row(result.stdout) <= 80
    assert "…" not in result.stdout
    assert column(result.stdout, "package") == LONG * 2
    assert column(result.stdout, "new") == "2.0.0.post20240601" * 2
    assert column(result.stdout, "platform") == "linux-64osx-arm64"  # labels stay on one line


def test_the_doctor_table_keeps_every_cell_whole() -> None:
    finding = Finding(code="pip-over-conda", subject=LONG, reason=f"pip installed {LONG} 2.0",
                      fix="re-create the environment with `hybrid install`")
    report = DoctorReport(prefix=Path("/env"), platform="linux-64", findings=(finding,),
                          checked=("pip-over-conda",))
    out = io.StringIO()
    Console(file=out, width=80).print(findings_table(report))
    text = out.getvalue()
    assert "…" not in text
    assert column(text, "subject") == LONG
    assert column(text, "code") == "pip-over-conda"
    assert widest_row(text) <= 80
