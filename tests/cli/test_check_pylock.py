"""`hybrid check` knows pylock.toml like every other output: missing, edited or from another
solve, it is named and the outputs are stale (exit 4). The outputs are those of the pip-layer
scenario (a real solve, checked in), so nothing is solved here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli

SCENARIO = Path(__file__).parents[1] / "scenarios" / "pip-layer"


@pytest.fixture(autouse=True)
def _copy(tmp_path: Path) -> None:
    shutil.copy(SCENARIO / "spec.yaml", tmp_path / "spec.yaml")


def test_the_scenario_outputs_are_fresh(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("check", tmp_path / "spec.yaml", "-o", _outputs(tmp_path))
    assert result.exit_code == 0, result.output


def test_a_missing_pylock_is_stale(run_cli: RunCli, tmp_path: Path) -> None:
    out = _outputs(tmp_path)
    (out / "pylock.toml").unlink()
    result = run_cli("check", tmp_path / "spec.yaml", "-o", out)
    assert result.exit_code == 4
    assert "pylock.toml: missing" in result.output


def test_an_edited_pylock_is_stale(run_cli: RunCli, tmp_path: Path) -> None:
    out = _outputs(tmp_path)
    path = out / "pylock.toml"
    path.write_text(path.read_text("utf-8").replace("2024.9.20", "2024.9.21"), "utf-8")
    result = run_cli("check", tmp_path / "spec.yaml", "-o", out)
    assert result.exit_code == 4
    assert "pylock.toml: edited or truncated" in result.output


def _outputs(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    if not out.exists():
        shutil.copytree(SCENARIO / "expected", out)
    return out
