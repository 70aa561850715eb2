"""`hybrid check`: exit 0 when outputs match the inputs, 4 when stale, naming what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli

SPEC = (
    "version: 1\nname: demo\nchannels: [hybrid-demo]\nplatforms: [linux-64, osx-arm64]\n"
    'python: "3.11"\nconda:\n  - numpy >=1.26\n'
)


@pytest.fixture
def solved(run_cli: RunCli, write_spec, demo_channel: Path) -> Path:  # type: ignore[no-untyped-def]
    spec = write_spec(SPEC)
    result = run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}")
    assert result.exit_code == 0, result.output
    return spec


def test_fresh_outputs(run_cli: RunCli, solved: Path) -> None:
    result = run_cli("check", solved)
    assert result.exit_code == 0
    assert "up to date" in result.stdout


def test_a_comment_does_not_make_outputs_stale(run_cli: RunCli, solved: Path) -> None:
    solved.write_text("# a comment\n" + SPEC, encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 0, result.output


def test_a_changed_spec_is_stale_and_says_what_changed(run_cli: RunCli, solved: Path) -> None:
    solved.write_text(SPEC.replace("numpy >=1.26", "numpy >=2\n  - tzdata"), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "input hash differs" in result.stderr
    assert "conda: `numpy >=2` added" in result.stderr
    assert "conda: `tzdata` added" in result.stderr
    assert "hybrid solve" in result.stderr


def test_a_new_platform_is_named(run_cli: RunCli, solved: Path) -> None:
    solved.write_text(SPEC.replace("osx-arm64]", "osx-arm64, win-64]"), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "conda-win-64.lock: missing" in result.stderr
    assert "platforms: win-64 added" in result.stderr


def test_a_removed_platform_leaves_a_stray_lock(run_cli: RunCli, solved: Path) -> None:
    solved.write_text(SPEC.replace(", osx-arm64]", "]"), encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "conda-osx-arm64.lock: platform no longer in the spec" in result.stderr


def test_a_deleted_output_is_missing(run_cli: RunCli, solved: Path) -> None:
    (solved.parent / "conda-lock.yml").unlink()
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "conda-lock.yml: missing" in result.stderr


def test_a_hand_edited_header_is_stale(run_cli: RunCli, solved: Path) -> None:
    lock = solved.parent / "conda-linux-64.lock"
    text = lock.read_text(encoding="utf-8")
    lock.write_text("\n".join(line for line in text.splitlines()
                              if "hash:" not in line) + "\n", encoding="utf-8")
    result = run_cli("check", solved)
    assert result.exit_code == 4
    assert "has no input-hash header" in result.stderr


def test_no_outputs_at_all(run_cli: RunCli, write_spec) -> None:  # type: ignore[no-untyped-def]
    spec = write_spec(SPEC)
    result = run_cli("check", spec)
    assert result.exit_code == 4
    assert "missing" in result.stderr
    assert "Traceback" not in result.output


def test_check_with_an_output_dir(
    run_cli: RunCli, write_spec, demo_channel: Path, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    spec = write_spec(SPEC)
    out = tmp_path / "locks"
    mirror = f"hybrid-demo={demo_channel}"
    assert run_cli("solve", spec, "-o", out, "--mirror", mirror).exit_code == 0
    assert run_cli("check", spec, "-o", out).exit_code == 0
    assert run_cli("check", spec).exit_code == 4


def test_a_bad_spec_is_a_spec_error(run_cli: RunCli, write_spec) -> None:  # type: ignore[no-untyped-def]
    spec = write_spec("version: 1\nname: x\nplatfroms: [linux-64]\n")
    result = run_cli("check", spec)
    assert result.exit_code == 2
    assert "did you mean `platforms`" in result.stderr
