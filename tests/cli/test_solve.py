"""`hybrid solve`: where outputs go, the summary, --json, --hash, errors as exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conda.helpers import explicit_lines, read_tree
from tests.conftest import RunCli

SPEC = """\
version: 1
name: demo
channels: [hybrid-demo]
platforms: [linux-64, osx-arm64, win-64]
python: "3.11"
conda:
  - numpy
  - {spec: tzdata, platforms: [win-64]}
"""
OUTPUTS = {"conda-linux-64.lock", "conda-osx-arm64.lock", "conda-win-64.lock", "environment.yml"}


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    path = folder / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.fixture
def mirror(demo_channel: Path) -> tuple[str, str]:
    return ("--mirror", f"hybrid-demo={demo_channel}")


def test_default_output_dir_is_the_spec_dir(
    run_cli: RunCli,
    spec: Path,
    mirror: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run_cli("solve", spec, *mirror)
    assert result.exit_code == 0, result.output
    assert set(read_tree(spec.parent)) >= OUTPUTS
    assert list(elsewhere.iterdir()) == []


def test_output_dir_option(
    run_cli: RunCli, spec: Path, mirror: tuple[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "locks" / "nested"
    result = run_cli("solve", spec, *mirror, "-o", out)
    assert result.exit_code == 0, result.output
    assert set(read_tree(out)) >= OUTPUTS
    assert sorted(p.name for p in spec.parent.iterdir()) == ["spec.yaml"]
    assert f"wrote {len(read_tree(out))} files to {out}" in result.stdout


def test_summary_table(
    run_cli: RunCli, spec: Path, mirror: tuple[str, str], tmp_path: Path
) -> None:
    result = run_cli("solve", spec, *mirror, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "-64" in line or "arm64" in line]
    assert len(rows) == 3
    assert all("3.11.9" in row and "numpy 2.1.1" in row for row in rows)
    assert "tzdata" in next(row for row in rows if "win-64" in row)


def test_json(run_cli: RunCli, spec: Path, mirror: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("solve", spec, *mirror, "-o", out, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [row["platform"] for row in data["platforms"]] == ["linux-64", "osx-arm64", "win-64"]
    assert {row["python"] for row in data["platforms"]} == {"3.11.9"}
    assert data["input_hash"].startswith("sha256:")
    assert {Path(f).name for f in data["files"]} == set(read_tree(out))
    packages = data["packages"]["default"]
    assert set(packages) == {"linux-64", "osx-arm64", "win-64"}
    for platform, records in packages.items():
        lock = explicit_lines(out / f"conda-{platform}.lock")
        assert [r["url"] for r in records] == [line.url for line in lock]
        assert [r["md5"] for r in records] == [line.digest for line in lock]
        row = next(r for r in data["platforms"] if r["platform"] == platform)
        assert row["packages"] == len(records)
    # The lock verifier ran on every platform before anything was written.
    verified = data["verification"]["default"]
    assert [(v["platform"], v["conda_records"]) for v in verified] == [
        (p, len(records)) for p, records in packages.items()
    ]


def test_hash_sha256(run_cli: RunCli, spec: Path, mirror: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("solve", spec, *mirror, "-o", out, "--hash", "sha256").exit_code == 0
    lines = explicit_lines(out / "conda-linux-64.lock")
    assert lines and {line.hash_kind for line in lines} == {"sha256"}
    assert all(len(line.digest) == 64 for line in lines)


def test_a_bad_hash_choice_is_a_usage_error(
    run_cli: RunCli, spec: Path, mirror: tuple[str, str]
) -> None:
    result = run_cli("solve", spec, *mirror, "--hash", "sha1")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_missing_spec_is_a_spec_error(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("solve", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_an_unusable_output_dir_is_an_error_not_a_crash(
    run_cli: RunCli, spec: Path, mirror: tuple[str, str], tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file\n", encoding="utf-8")
    result = run_cli("solve", spec, *mirror, "-o", blocker / "out")
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("solver", ["libmamba", "both"])
def test_the_libmamba_backend_is_reported_missing(
    run_cli: RunCli,
    spec: Path,
    mirror: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    solver: str,
) -> None:
    """Where `libmambapy` cannot be imported (a `None` in sys.modules is how Python says a
    module is absent: find_spec answers None and `import` raises), asking for it is exit 5
    with how to get it, before anything is written."""
    monkeypatch.setitem(sys.modules, "libmambapy", None)
    out = tmp_path / "out"
    result = run_cli("solve", spec, *mirror, "--solver", solver, "-o", out)
    assert result.exit_code == 5
    assert "libmambapy" in result.stderr
    assert "conda install -c conda-forge libmambapy" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_the_spec_can_ask_for_libmamba_and_the_command_line_wins(
    run_cli: RunCli,
    spec: Path,
    mirror: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setitem(sys.modules, "libmambapy", None)
    spec.write_text(spec.read_text(encoding="utf-8") + "solver: libmamba\n", encoding="utf-8")
    asked = run_cli("solve", spec, *mirror, "-o", tmp_path / "a")
    assert asked.exit_code == 5, asked.output
    assert "conda install -c conda-forge libmambapy" in asked.stderr
    overridden = run_cli("solve", spec, *mirror, "-o", tmp_path / "b", "--solver", "rattler")
    assert overridden.exit_code == 0, overridden.output


def test_pip_tools_refuses_other_platforms_before_compiling_any(
    run_cli: RunCli, spec: Path, mirror: tuple[str, str], tmp_path: Path
) -> None:
    """The refusal comes first: a pip entry no index has would otherwise fail the native
    platform's compile (exit 3) before any other platform was looked at."""
    spec.write_text(SPEC + "pip:\n  - hybrid-no-such-distribution-anywhere\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("solve", spec, *mirror, "-o", out, "--pip-resolver", "pip-tools")
    assert result.exit_code == 2, result.output
    assert "pip-tools compiles only for the platform and Python it runs on" in result.output
    assert not out.exists()
