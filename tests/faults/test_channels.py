"""Channels and indexes that could make a lock silently wrong.

A local channel whose platform subdir has no `repodata.json` fails with exit 5 naming the
file (conda and rattler would read the subdir as empty: exit 3 "no candidates", or packages
from the next channel). A channel with no directory for a platform at all serves none for
it, as in conda; a notice says so. Channels and pip indexes read over plain http get a
notice. Real solves on generated channels; the http ones are served on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hybrid.devtools.local_channel import SUBDIRS, PackageSpec
from hybrid.errors import ExitCode
from tests.conda.helpers import make_channel
from tests.conftest import RunCli
from tests.install.conftest import (
    CHANNEL_NAME,
    WHEEL_NAME,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    posix_only,
    serve_directory,
    spec_text,
)

SPEC = "version: 1\nname: faults\nchannels: [{channel}]\nplatforms: [linux-64]\nconda:\n{conda}"
PLAIN_HTTP = "is read over plain http"


@pytest.fixture
def channel(tmp_path: Path) -> Path:
    """`tool` for linux-64 and `helper` in noarch, every subdir indexed."""
    packages = [
        PackageSpec(name="tool", version="1.0", subdir="linux-64"),
        PackageSpec(name="helper", version="1.0"),
    ]
    return make_channel(tmp_path / "channel", packages)


def _solve(run_cli: RunCli, tmp_path: Path, channel: str, *names: str) -> tuple[int, str]:
    spec = tmp_path / "spec.yaml"
    conda = "".join(f"  - {name}\n" for name in names)
    spec.write_text(SPEC.format(channel=channel, conda=conda), encoding="utf-8")
    result = run_cli("solve", spec, "-o", tmp_path / "out")
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_a_platform_subdir_without_repodata_json_fails_naming_the_file(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    missing = channel / "linux-64" / "repodata.json"
    missing.unlink()
    code, stderr = _solve(run_cli, tmp_path, str(channel), "tool")
    assert code == ExitCode.BACKEND, stderr
    assert str(missing) in stderr
    assert "No candidates" not in stderr


def test_a_subdir_indexed_in_another_format_is_named_in_the_hint(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    """rattler reads only repodata.json in a local subdir (a lone .zst solves as empty)."""
    repodata = channel / "linux-64" / "repodata.json"
    repodata.rename(repodata.with_name("repodata.json.zst"))
    code, stderr = _solve(run_cli, tmp_path, str(channel), "helper")
    assert code == ExitCode.BACKEND, stderr
    assert str(repodata) in stderr and "repodata.json.zst" in stderr


def test_a_channel_without_noarch_repodata_fails_naming_the_file(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    shutil.rmtree(channel / "noarch")
    code, stderr = _solve(run_cli, tmp_path, str(channel), "tool")
    assert code == ExitCode.BACKEND, stderr
    assert str(channel / "noarch" / "repodata.json") in stderr


def test_a_channel_without_a_platform_directory_serves_noarch_and_says_so(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    shutil.rmtree(channel / "linux-64")
    code, stderr = _solve(run_cli, tmp_path, str(channel), "helper")
    assert code == ExitCode.OK, stderr
    assert "has no linux-64 subdir" in stderr


def test_a_noarch_only_channel_solves_without_a_notice(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    for subdir in SUBDIRS:
        if subdir != "noarch":
            shutil.rmtree(channel / subdir)
    code, stderr = _solve(run_cli, tmp_path, str(channel), "helper")
    assert code == ExitCode.OK, stderr
    assert "subdir" not in stderr


def test_a_channel_served_over_plain_http_gets_a_notice(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    with serve_directory(channel) as url:
        code, stderr = _solve(run_cli, tmp_path, url, "tool")
    assert code == ExitCode.OK, stderr
    assert f"channel {url} {PLAIN_HTTP}" in stderr


def test_a_local_channel_gets_no_http_notice(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    code, stderr = _solve(run_cli, tmp_path, str(channel), "tool")
    assert code == ExitCode.OK, stderr
    assert PLAIN_HTTP not in stderr


@posix_only
def test_a_pip_index_served_over_plain_http_gets_a_notice(
    run_cli: RunCli, interpreter_channel: Path, local_index: str, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text(pip=(WHEEL_NAME,), index=local_index), encoding="utf-8")
    mirror = f"{CHANNEL_NAME}={interpreter_channel}"
    result = run_cli("solve", spec, "--mirror", mirror, "-o", tmp_path / "out")
    assert result.exit_code == ExitCode.OK, result.output
    assert f"pip index {local_index} {PLAIN_HTTP}" in result.stderr
    channel_lines = [line for line in result.stderr.splitlines() if "channel" in line]
    assert not [line for line in channel_lines if PLAIN_HTTP in line]  # read from a directory
