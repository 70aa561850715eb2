"""A requirements.txt with a git reference cannot use --require-hashes: the user is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli, WriteSpec


@pytest.mark.network
def test_git_reference_gets_a_notice(
    run_cli: RunCli,
    write_spec: WriteSpec,
    demo_channel: Path,
    git_package: tuple[Path, str],
) -> None:
    repo, commit = git_package
    spec = write_spec(
        "version: 1\nname: t\nchannels: [hybrid-demo]\nplatforms: [linux-64]\n"
        'python: "3.11"\nconda:\n  - numpy\n'
        f"pip:\n  - tinypkg @ git+{repo.as_uri()}@v0.1.0\n"
    )
    result = run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}")
    assert result.exit_code == 0, result.output
    assert "pins version-control references (tinypkg)" in result.stderr
    assert "without --require-hashes" in result.stderr
    assert f"@{commit}" in (spec.parent / "requirements.txt").read_text(encoding="utf-8")


@pytest.mark.network
def test_no_notice_for_index_pins(
    run_cli: RunCli,
    write_spec: WriteSpec,
    demo_channel: Path,
) -> None:
    spec = write_spec(
        "version: 1\nname: t\nchannels: [hybrid-demo]\nplatforms: [linux-64]\n"
        'python: "3.11"\nconda:\n  - numpy\npip:\n  - six\n'
    )
    result = run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}")
    assert result.exit_code == 0, result.output
    assert "version-control" not in result.stderr
