"""`hybrid diff OLD NEW` on output sets written by the real `hybrid solve` on the demo channel."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli

SPEC = """\
version: 1
name: demo
channels: [hybrid-demo]
platforms: [linux-64, osx-arm64]
python: "3.11"
{snapshot}conda:
  - numpy
{extra}"""
PLATFORMS = ("linux-64", "osx-arm64")


@pytest.fixture
def outputs(run_cli: RunCli, demo_channel: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two solved output sets: numpy 1.26.4 (a snapshot), then numpy 2.1.1 plus hello."""
    mirror = ("--mirror", f"hybrid-demo={demo_channel}")
    texts = {
        "old": SPEC.format(snapshot="snapshot: 2024-08-01\n", extra=""),
        "new": SPEC.format(snapshot="", extra="  - hybrid-demo-hello\n"),
    }
    for side, text in texts.items():
        spec = tmp_path / f"{side}.yaml"
        spec.write_text(text, encoding="utf-8")
        result = run_cli("solve", spec, "-o", tmp_path / side, *mirror)
        assert result.exit_code == 0, result.output
    return tmp_path / "old", tmp_path / "new"


def rows(stdout: str) -> list[list[str]]:
    """The body rows of a rich table, as lists of stripped cells."""
    return [
        [cell.strip() for cell in line.strip("│ ").split("│")]
        for line in stdout.splitlines()
        if line.startswith("│")
    ]


def test_an_upgrade_and_an_addition_on_every_platform(
    run_cli: RunCli, outputs: tuple[Path, Path]
) -> None:
    old, new = outputs
    result = run_cli("diff", old, new)
    assert result.exit_code == 0, result.output
    expected = [
        row
        for platform in PLATFORMS
        for row in (
            [platform, "conda", "hybrid-demo-hello", "added", "-", "1.0.0"],
            [platform, "conda", "numpy", "upgraded", "1.26.4", "2.1.1"],
        )
    ]
    assert rows(result.stdout) == expected
    assert "variant" not in result.stdout
    assert "4 changes: 2 added, 2 upgraded" in result.stdout


def test_the_other_way_round_removes_and_downgrades(
    run_cli: RunCli, outputs: tuple[Path, Path]
) -> None:
    old, new = outputs
    result = run_cli("diff", new, old)
    assert result.exit_code == 0, result.output
    assert [row[2:] for row in rows(result.stdout)] == [
        ["hybrid-demo-hello", "removed", "1.0.0", "-"],
        ["numpy", "downgraded", "2.1.1", "1.26.4"],
    ] * 2


def test_json_holds_the_same_facts(run_cli: RunCli, outputs: tuple[Path, Path]) -> None:
    old, new = outputs
    result = run_cli("diff", old, new, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["identical"] is False
    assert data["variants"] == ["default"]
    assert data["counts"] == {
        "added": 2,
        "removed": 0,
        "upgraded": 2,
        "downgraded": 0,
        "rebuilt": 0,
    }
    facts = [
        (
            c["variant"],
            c["platform"],
            c["layer"],
            c["name"],
            c["change"],
            c["old"] and c["old"]["version"],
            c["new"]["version"],
        )
        for c in data["changes"]
    ]
    assert facts == [
        fact
        for platform in PLATFORMS
        for fact in (
            ("default", platform, "conda", "hybrid-demo-hello", "added", None, "1.0.0"),
            ("default", platform, "conda", "numpy", "upgraded", "1.26.4", "2.1.1"),
        )
    ]
    numpy = next(c for c in data["changes"] if c["name"] == "numpy")
    assert numpy["new"]["url"].endswith(".tar.bz2") and numpy["new"]["build"].startswith("py311")
    assert result.stdout == json.dumps(data, indent=2, sort_keys=True) + "\n"


def test_two_lock_files(run_cli: RunCli, outputs: tuple[Path, Path]) -> None:
    old, new = outputs
    by_dir = run_cli("diff", old, new, "--json")
    by_file = run_cli("diff", old / "conda-lock.yml", new / "conda-lock.yml", "--json")
    assert by_file.exit_code == 0, by_file.output
    assert json.loads(by_file.stdout)["changes"] == json.loads(by_dir.stdout)["changes"]


def test_no_changes(run_cli: RunCli, outputs: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = outputs
    copy = shutil.copytree(old, tmp_path / "copy")
    result = run_cli("diff", old, copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"no changes between {old} and {copy}"
    data = json.loads(run_cli("diff", old, copy, "--json").stdout)
    assert data["identical"] is True and data["changes"] == []


def test_a_variant_matrix(run_cli: RunCli, outputs: tuple[Path, Path], tmp_path: Path) -> None:
    # the demo channel has no cuda-version package, so `cuda: [cpu, "12.6"]` cannot be solved
    # on it: the variant trees are laid out as `hybrid solve` writes them, from one-variant sets
    old, new = outputs
    trees = {"before": (old, old), "after": (old, new)}
    for tree, (cpu, cuda) in trees.items():
        shutil.copytree(cpu, tmp_path / tree / "cpu")
        shutil.copytree(cuda, tmp_path / tree / "cuda-12.6")
    result = run_cli("diff", tmp_path / "before", tmp_path / "after")
    assert result.exit_code == 0, result.output
    assert "variant" in result.stdout
    found = rows(result.stdout)
    assert {row[0] for row in found} == {"cuda-12.6"}
    assert [row[1:4] for row in found] == [
        [platform, "conda", name]
        for platform in PLATFORMS
        for name in ("hybrid-demo-hello", "numpy")
    ]
    data = json.loads(run_cli("diff", tmp_path / "before", tmp_path / "after", "--json").stdout)
    assert data["variants"] == ["cpu", "cuda-12.6"]


def test_a_missing_path(run_cli: RunCli, outputs: tuple[Path, Path], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run_cli("diff", outputs[0], missing)
    assert result.exit_code == 2
    assert str(missing) in result.stderr and "no such file or directory" in result.stderr
    assert "Traceback" not in result.output


def test_a_directory_without_a_lock(
    run_cli: RunCli, outputs: tuple[Path, Path], tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    result = run_cli("diff", empty, outputs[1])
    assert result.exit_code == 2
    assert str(empty) in result.stderr and "no conda-lock.yml" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "text", ["version: 1\npackage: [\n  - {name: numpy\n", "just a string\n", "version: 1\n"]
)
def test_a_malformed_lock_file(
    run_cli: RunCli, outputs: tuple[Path, Path], tmp_path: Path, text: str
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(outputs[1], broken)
    (broken / "conda-lock.yml").write_text(text, encoding="utf-8")
    for args in ((outputs[0], broken), (outputs[0], broken / "conda-lock.yml")):
        result = run_cli("diff", *args)
        assert result.exit_code == 2, result.output
        assert str(broken / "conda-lock.yml") in result.stderr
        assert "not a readable conda-lock file" in result.stderr
        assert "Traceback" not in result.output
