"""`hybrid solve --solver both`: rattler's answer is locked, libmamba's is compared with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hybrid.conda.solver import libmamba_importable
from tests.conda.helpers import read_tree
from tests.conftest import RunCli

pytestmark = pytest.mark.skipif(
    not libmamba_importable(),
    reason="libmambapy is not importable here (conda install -c conda-forge libmambapy)",
)

SPEC = """\
version: 1
name: both
channels: [hybrid-demo]
platforms: [linux-64, osx-arm64, win-64]
python: "3.11"
conda:
  - numpy
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def test_both_locks_rattlers_answer_and_compares_per_platform(
    run_cli: RunCli, spec: Path, demo_channel: Path, tmp_path: Path
) -> None:
    mirror = ("--mirror", f"hybrid-demo={demo_channel}")
    both = run_cli("solve", spec, *mirror, "--solver", "both", "--json", "-o", tmp_path / "both")
    assert both.exit_code == 0, both.output
    alone = run_cli("solve", spec, *mirror, "--solver", "rattler", "-o", tmp_path / "rattler")
    assert alone.exit_code == 0, alone.output
    assert read_tree(tmp_path / "both") == read_tree(tmp_path / "rattler")
    comparisons = json.loads(both.stdout)["solver_comparison"]
    assert [c["platform"] for c in comparisons] == ["linux-64", "osx-arm64", "win-64"]
    for item in comparisons:
        assert (item["left"]["solver"], item["right"]["solver"]) == ("rattler", "libmamba")
        assert item["left"]["verified"] and item["right"]["verified"], item
        assert item["left"]["seconds"] > 0 and item["right"]["seconds"] > 0
        assert item["diff"]["identical"], item["diff"]


def test_both_prints_a_table_on_stderr(
    run_cli: RunCli, spec: Path, demo_channel: Path
) -> None:
    result = run_cli(
        "solve", spec, "--mirror", f"hybrid-demo={demo_channel}", "--solver", "both"
    )
    assert result.exit_code == 0, result.output
    assert "conda solvers side by side (the lock is rattler's)" in result.stderr
    assert "identical" in result.stderr
    assert "win-64" in result.stderr
