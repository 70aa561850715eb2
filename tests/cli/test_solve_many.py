"""`hybrid solve A B …` and `hybrid solve --all DIR`: each spec's outputs next to it, each
failure named by its spec file, the worst exit code, one JSON object per spec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli

SPEC = """\
version: 1
name: {name}
channels: [hybrid-demo]
platforms: [linux-64, win-64]
python: "3.11"
conda:
  - {package}
"""


@pytest.fixture
def mirror(demo_channel: Path) -> tuple[str, str]:
    return ("--mirror", f"hybrid-demo={demo_channel}")


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    """Three projects (one unsatisfiable) and a spec in a hidden directory."""
    root = tmp_path / "lab"
    for folder, package in (("alpha", "numpy"), ("beta", "numpy <1"), ("gamma/sub", "numpy"),
                            (".hidden", "numpy")):
        spec = root / folder / "spec.yaml"
        spec.parent.mkdir(parents=True)
        spec.write_text(SPEC.format(name=folder.replace("/", "-").strip("."), package=package))
    return root


def test_all_solves_every_spec_and_exits_with_the_worst_code(
    run_cli: RunCli, lab: Path, mirror: tuple[str, str]
) -> None:
    result = run_cli("solve", "--all", lab, *mirror)
    assert result.exit_code == 3, result.output
    for folder in ("alpha", "gamma/sub"):
        assert (lab / folder / "conda-win-64.lock").is_file()
        assert f"wrote 4 files to {lab / folder}" in result.stdout
    assert not (lab / "beta" / "environment.yml").exists()
    assert not (lab / ".hidden" / "environment.yml").exists()
    assert f"error: {lab / 'beta' / 'spec.yaml'}: the conda layer cannot be solved" in (
        result.stderr
    )
    assert f"solved 2 of 3 specs; 1 failed: {lab / 'beta' / 'spec.yaml'} (exit 3)" in (
        result.stderr
    )
    # reports come in path order
    assert result.stdout.index("alpha") < result.stdout.index("gamma")


def test_json_gives_one_object_per_spec(
    run_cli: RunCli, lab: Path, mirror: tuple[str, str]
) -> None:
    result = run_cli("solve", "--all", lab, *mirror, "--json")
    assert result.exit_code == 3, result.output
    objects = json.loads(result.stdout)
    assert [(o["spec"], o["exit_code"]) for o in objects] == [
        (str(lab / "alpha" / "spec.yaml"), 0),
        (str(lab / "beta" / "spec.yaml"), 3),
        (str(lab / "gamma" / "sub" / "spec.yaml"), 0),
    ]
    assert objects[1]["error"]["kind"] == "unsatisfiable"
    assert {row["platform"] for row in objects[0]["platforms"]} == {"linux-64", "win-64"}


def test_specs_named_on_the_command_line(
    run_cli: RunCli, lab: Path, mirror: tuple[str, str]
) -> None:
    alpha, gamma = lab / "alpha" / "spec.yaml", lab / "gamma" / "sub" / "spec.yaml"
    result = run_cli("solve", gamma, alpha, *mirror, "-j", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.index(str(gamma)) < result.stdout.index(str(alpha))
    assert "solved 2 specs" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("alpha/spec.yaml", "gamma/sub/spec.yaml", "-o", "out"), "-o names one output directory"),
        (("--all", ".", "-o", "out"), "-o names one output directory"),
        (("--all", "empty"), "no spec.yaml under it"),
        ((), "give a SPEC file or --all DIR"),
    ],
)
def test_usage_errors(
    run_cli: RunCli,
    lab: Path,
    mirror: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    arguments: tuple[str, ...],
    message: str,
) -> None:
    (lab / "empty").mkdir()
    monkeypatch.chdir(lab)
    result = run_cli("solve", *arguments, *mirror)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (lab / "alpha" / "environment.yml").exists()


def test_two_specs_in_one_directory_are_refused(
    run_cli: RunCli, lab: Path, mirror: tuple[str, str]
) -> None:
    spec = lab / "alpha" / "spec.yaml"
    other = spec.with_name("gpu.yaml")
    other.write_text(spec.read_text())
    result = run_cli("solve", spec, other, *mirror)
    assert result.exit_code == 2
    assert "would write their outputs to the same directory" in result.stderr
