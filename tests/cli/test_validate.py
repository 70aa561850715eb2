"""`hybrid validate SPEC`: checks a spec without solving; exit 0 or exit 2, never a traceback."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, RunCli

WriteSpec = Callable[[str], Path]

VALID = """\
# yaml-language-server: $schema=../../schemas/spec-v1.schema.json
version: 1
name: vision-lab
channels: [conda-forge, pytorch]
platforms: [linux-64, osx-arm64, win-64]
python: "3.11"
cuda: ["cpu", "12.4"]
conda:
  - pytorch::pytorch >=2.4
  - numpy >=1.26
  - {spec: pywin32, platforms: [win-64]}
pip:
  - transformers >=4.45
  - wandb
pip-index: {index-url: "https://pypi.org/simple"}
system: {glibc: "2.28", macos: "11.0"}
snapshot: 2026-06-01
"""


def test_a_valid_spec_gives_a_one_line_summary(run_cli: RunCli, write_spec: WriteSpec) -> None:
    path = write_spec(VALID)
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        f"{path}: valid — 3 conda and 2 pip entries for linux-64, osx-arm64, win-64\n"
    )


def test_an_invalid_spec_gives_located_problems_on_stderr(
    run_cli: RunCli, write_spec: WriteSpec
) -> None:
    path = write_spec(
        VALID.replace('python: "3.11"', "python: 3.10").replace("wandb", "'wandb >='")
    )
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {path}: 1 problem(s)"
    assert lines[1] == (
        f"  {path}:6:9: python: YAML reads `3.10` as the number 3.1, not as text; "
        'write it in quotes: "3.10"'
    )


def test_entry_problems_come_once_the_schema_is_satisfied(
    run_cli: RunCli, write_spec: WriteSpec
) -> None:
    path = write_spec(VALID.replace("wandb", "'wandb >='").replace("numpy >=1.26", "'numpy =='"))
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert re.search(
        rf"^  {re.escape(str(path))}:10:5: conda\[1\]: `numpy ==` ", result.stderr, re.M
    )
    assert re.search(rf"^  {re.escape(str(path))}:14:5: pip\[1\]: `wandb >=` ", result.stderr, re.M)


def test_a_missing_file(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.yaml'}: no such file" in result.stderr
    assert "Traceback" not in result.output


def test_a_directory(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_no_argument_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("validate")
    assert result.exit_code == 2
    assert "Missing argument 'SPEC'" in result.output


def test_validate_does_not_solve(run_cli: RunCli, write_spec: WriteSpec) -> None:
    """Channels that do not exist are fine: validate reads no channel and writes nothing."""
    path = write_spec(VALID.replace("[conda-forge, pytorch]", "[file:///nowhere/at/all, pytorch]"))
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in path.parent.iterdir()) == ["spec.yaml"]


@pytest.mark.parametrize(
    "spec",
    sorted(
        [
            REPO / "examples" / "quickstart" / "spec.yaml",
            *(REPO / "tests" / "scenarios").glob("*/spec.yaml"),
        ]
    ),
    ids=lambda p: p.parent.name,
)
def test_the_repository_specs_are_valid(run_cli: RunCli, spec: Path) -> None:
    result = run_cli("validate", spec)
    assert result.exit_code == 0, result.stderr


def test_a_path_that_looks_like_markup(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "lab["
    folder.mkdir()
    path = folder / "]spec.yaml"
    path.write_text("version: 1\nname: demo\n", encoding="utf-8")
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: valid")


def test_a_platform_without_a_pip_layer_beside_pip_entries(
    run_cli: RunCli, write_spec: WriteSpec
) -> None:
    """uv has no wheel tags for linux-ppc64le: validate says so, where, instead of solve failing
    later without a location."""
    platforms = "[linux-64, linux-ppc64le, win-64]"
    path = write_spec(VALID.replace("[linux-64, osx-arm64, win-64]", platforms))
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"error: {path}: 1 problem(s)",
        f"  {path}:5:23: platforms[1]: linux-ppc64le cannot carry the pip layer (`pip:` at "
        "line 12): uv compiles pip layers for linux-64, linux-aarch64, osx-64, osx-arm64, "
        "win-64 only; remove linux-ppc64le from `platforms`, or move the pip entries into "
        "`conda:`",
    ]


def test_a_platform_without_a_pip_layer_is_fine_without_pip_entries(
    run_cli: RunCli, write_spec: WriteSpec
) -> None:
    spec = VALID.replace("[linux-64, osx-arm64, win-64]", "[linux-64, linux-ppc64le, win-64]")
    spec = spec.replace("pip:\n  - transformers >=4.45\n  - wandb\n", "pip: []\n")
    result = run_cli("validate", write_spec(spec))
    assert result.exit_code == 0, result.stderr
