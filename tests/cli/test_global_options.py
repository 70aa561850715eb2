"""Global options after the command (`hybrid solve SPEC -v`), and `--json` failures: one JSON
error object on stdout, the exit code unchanged."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import RunCli

WriteSpec = Callable[[str], Path]

SPEC = """\
version: 1
name: demo
channels: [hybrid-demo]
platforms: [linux-64]
python: "3.11"
conda:
  - numpy
"""


@pytest.fixture
def spec(write_spec: WriteSpec) -> Path:
    return write_spec(SPEC)


@pytest.mark.parametrize(
    "args",
    [("-v", "validate", "{spec}"), ("validate", "{spec}", "-v"), ("validate", "-v", "{spec}")],
)
def test_verbose_before_or_after_the_command(
    run_cli: RunCli, spec: Path, args: tuple[str, ...]
) -> None:
    result = run_cli(*(a.format(spec=spec) for a in args))
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_after_the_command_shows_the_traceback(
    run_cli: RunCli, tmp_path: Path, where: str
) -> None:
    missing = tmp_path / "nope.yaml"
    args = ("-v", "validate", missing) if where == "before" else ("validate", missing, "-v")
    result = run_cli(*args)
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert "no such file" in result.stderr


def test_verbose_after_the_command_raises_the_log_level(
    run_cli: RunCli, spec: Path, demo_channel: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = logging.getLogger()
    level = root.level
    try:
        result = run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}", "-vv")
    finally:
        root.setLevel(level)
    assert result.exit_code == 0, result.output
    assert any(record.levelname == "DEBUG" for record in caplog.records)


def test_every_command_lists_verbose_in_its_help(run_cli: RunCli) -> None:
    for command in ("check", "diff", "doctor", "import", "init", "install", "lint", "recipes",
                    "solve", "update", "validate"):
        result = run_cli(command, "--help")
        assert result.exit_code == 0, (command, result.output)
        assert "--verbose" in result.stdout, command


def _error(stdout: str) -> dict[str, object]:
    document = json.loads(stdout)
    assert set(document) == {"error"}
    error: dict[str, object] = document["error"]
    return error


@pytest.mark.parametrize("command", ["solve", "update"])
def test_a_spec_error_with_json(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    result = run_cli(command, tmp_path / "nope.yaml", "--json")
    assert result.exit_code == 2
    error = _error(result.stdout)
    assert error["kind"] == "spec"
    assert error["type"] == "SpecError"
    assert error["exit_code"] == 2
    assert "no such file" in str(error["message"])
    assert error["problems"] == [f"{tmp_path / 'nope.yaml'}: no such file"]
    assert "no such file" in result.stderr  # people still read stderr


def test_an_unsatisfiable_solve_with_json(
    run_cli: RunCli, write_spec: WriteSpec, demo_channel: Path
) -> None:
    spec = write_spec(SPEC.replace("  - numpy\n", "  - numpy >=99\n"))
    result = run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}", "--json")
    assert result.exit_code == 3, result.output
    error = _error(result.stdout)
    assert (error["kind"], error["exit_code"]) == ("unsatisfiable", 3)
    assert "numpy" in str(error["message"])


def test_a_channel_failure_with_json(run_cli: RunCli, spec: Path, tmp_path: Path) -> None:
    result = run_cli("solve", spec, "--mirror", f"hybrid-demo={tmp_path / 'absent'}", "--json")
    assert result.exit_code == 5, result.output
    assert _error(result.stdout)["kind"] == "backend"


def test_diff_with_json(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("diff", tmp_path / "old", tmp_path / "new", "--json")
    assert result.exit_code == 2
    error = _error(result.stdout)
    assert error["kind"] == "usage"
    assert "no such file or directory" in str(error["message"])


def test_doctor_with_json(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("doctor", tmp_path, "--json")
    assert result.exit_code == 2
    assert "not a conda environment" in str(_error(result.stdout)["message"])


def test_a_usage_error_found_by_click_with_json(run_cli: RunCli, spec: Path) -> None:
    result = run_cli("solve", spec, "--json", "--solver", "nonsense")
    assert result.exit_code == 2
    error = _error(result.stdout)
    assert error["kind"] == "usage"
    assert "nonsense" in str(error["message"])


def test_without_json_stdout_stays_empty(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("solve", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
