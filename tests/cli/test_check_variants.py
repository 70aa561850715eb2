"""`hybrid check` on a variant matrix (`cuda: [cpu, "12.6"]`, one folder per variant) with a
pip layer: what changed in the spec is named once, correctly, and edited files by path.

Solved for real on local data: the demo channel, a channel holding `cuda-version`, and a
package index on localhost serving two tiny wheels.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hybrid.devtools.local_channel import PackageSpec, build_channel
from tests.cli.test_check import changes
from tests.conftest import RunCli, main_in_process
from tests.install.conftest import (
    BROKEN_NAME,
    WHEEL_NAME,
    local_index_fixture,  # noqa: F401  (the fixture, registered here too)
)

VARIANTS = ("cpu", "cuda-12.6")
SPEC = (
    "version: 1\nname: demo\nchannels: [hybrid-demo, hybrid-cuda]\n"
    'platforms: [linux-64, osx-arm64]\npython: "3.11"\ncuda: [cpu, "12.6"]\n'
    f"conda:\n  - numpy >=1.26\n  - tzdata\npip:\n  - {WHEEL_NAME}\n"
)


@pytest.fixture(scope="module")
def matrix_once(
    tmp_path_factory: pytest.TempPathFactory, demo_channel: Path, local_index: str
) -> Path:
    """The variant matrix solved once per module; tests edit copies of it."""
    cuda = build_channel(
        tmp_path_factory.mktemp("cuda-channel"),
        [PackageSpec(name="cuda-version", version="12.6", build="3")],
    )
    directory = tmp_path_factory.mktemp("check-matrix")
    spec = directory / "spec.yaml"
    spec.write_text(SPEC + f'pip-index: {{index-url: "{local_index}"}}\n', encoding="utf-8")
    mirrors = ("--mirror", f"hybrid-demo={demo_channel}", "--mirror", f"hybrid-cuda={cuda}")
    result = main_in_process("solve", spec, *mirrors)
    assert result.exit_code == 0, result.output
    for variant in VARIANTS:
        assert (directory / variant / "requirements.txt").is_file()
    return directory


@pytest.fixture
def matrix(matrix_once: Path, tmp_path: Path) -> Path:
    return shutil.copytree(matrix_once, tmp_path / "project") / "spec.yaml"


def _edit(spec: Path, old: str, new: str) -> None:
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new), encoding="utf-8")


def test_fresh(run_cli: RunCli, matrix: Path) -> None:
    result = run_cli("check", matrix)
    assert result.exit_code == 0, result.output


def test_a_conda_edit_is_named_once_for_every_variant(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, "numpy >=1.26", "numpy >=2")
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    for variant in VARIANTS:
        assert f"{matrix.parent / variant / 'conda-lock.yml'}: input hash differs" in result.stderr
    assert changes(result) == ["conda: `numpy` changed to `numpy >=2`"]


def test_reordered_conda_entries(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, "  - numpy >=1.26\n  - tzdata\n", "  - tzdata\n  - numpy >=1.26\n")
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    assert changes(result) == ["conda: entries reordered"]


def test_a_python_edit_is_named(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, 'python: "3.11"', 'python: "3.12"')
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    assert changes(result) == ["python: changed to `3.12`"]


def test_a_pip_entry_added(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, f"  - {WHEEL_NAME}\n", f"  - {WHEEL_NAME}\n  - {BROKEN_NAME} >=1\n")
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    assert changes(result) == [f"pip: `{BROKEN_NAME}>=1` added"]


def test_a_pip_entry_removed(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, f"pip:\n  - {WHEEL_NAME}\n", "")
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    # without a pip layer there is no requirements.txt to expect: the old one is a stray
    assert "requirements.txt: missing" not in result.stderr
    for variant in VARIANTS:
        stray = matrix.parent / variant / "requirements.txt"
        assert f"{stray}: pip layer (or this variant) no longer in the spec" in result.stderr
    assert changes(result) == [f"pip: `{WHEEL_NAME}` removed"]


def test_a_pip_entry_changed(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, f"  - {WHEEL_NAME}\n", f"  - {WHEEL_NAME} ==1.0.0\n")
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    assert changes(result) == [f"pip: `{WHEEL_NAME}` changed to `{WHEEL_NAME}==1.0.0`"]


def test_a_variant_dropped(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, 'cuda: [cpu, "12.6"]', "cuda: [cpu]")
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    # one variant writes straight into the spec's folder
    assert f"{matrix.parent / 'environment.yml'}: missing" in result.stderr
    assert changes(result) == ["cuda: variant `cuda-12.6` removed"]


def test_a_variant_replaced(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, 'cuda: [cpu, "12.6"]', 'cuda: [cpu, "12.8"]')
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    assert f"{matrix.parent / 'cuda-12.8' / 'environment.yml'}: missing" in result.stderr
    assert changes(result) == [
        "cuda: variant `cuda-12.8` added",
        "cuda: variant `cuda-12.6` removed",
    ]


def test_cuda_no_longer_set(run_cli: RunCli, matrix: Path) -> None:
    _edit(matrix, 'cuda: [cpu, "12.6"]\n', "")
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    assert changes(result) == ["cuda: variant `cpu` removed", "cuda: variant `cuda-12.6` removed"]


@pytest.mark.parametrize("name", ["requirements.txt", "conda-linux-64.lock", "environment.yml"])
def test_an_edited_file_in_one_variant_is_named(
    run_cli: RunCli, matrix: Path, name: str
) -> None:
    path = matrix.parent / "cuda-12.6" / name
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n")  # even a blank line at the end is an edit
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    assert result.stderr.count("edited or truncated") == 1
    assert f"{path}: edited or truncated" in result.stderr
    assert changes(result) == []


def test_requirements_without_a_pin_is_stale(run_cli: RunCli, matrix: Path) -> None:
    path = matrix.parent / "cpu" / "requirements.txt"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith(("#", "--"))]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = run_cli("check", matrix)
    assert result.exit_code == 4
    assert f"{path}: edited or truncated" in result.stderr
