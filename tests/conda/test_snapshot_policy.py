"""Records without a timestamp under a snapshot, on the real channel snapshot.

rattler's `exclude_newer` keeps records that have no timestamp, so a 2024-06-01 lock of the
real conda-forge snapshot holds libgcc 16.1 and the like. hybrid counts and names them in a
notice; `--snapshot-strict` leaves them out, the explicit files say so in their header, and
the policy is part of the input hash (`hybrid check` reads it back from the outputs).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hybrid.errors import ExitCode
from tests.conda.helpers import (
    CONDA_FORGE_URL,
    channel_index,
    explicit_lines,
    header_fields,
    invoke,
)
from tests.conftest import CliResult

pytestmark = pytest.mark.snapshot

PLATFORMS = ("linux-64", "osx-arm64")
SNAPSHOT = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)
SPEC = """\
version: 1
name: dated
channels: [conda-forge]
platforms: [linux-64, osx-arm64]
python: "3.11"
snapshot: 2024-06-01
conda:
  - numpy
"""
NOTICE = "have no timestamp, so the snapshot cannot date them"


@pytest.fixture(scope="module")
def conda_forge(shared_channels: Path) -> dict[str, dict[str, Any]]:
    return channel_index(shared_channels / "conda-forge", CONDA_FORGE_URL)


@pytest.fixture(scope="module")
def solved(
    shared_channels: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, CliResult]]:
    """The spec solved with the default policy and with --snapshot-strict."""
    root = tmp_path_factory.mktemp("snapshot-policy")
    (root / "spec.yaml").write_text(SPEC, encoding="utf-8")
    mirror = ("--mirror", f"conda-forge={shared_channels / 'conda-forge'}")
    runs = {}
    for label, extra in {"default": (), "strict": ("--snapshot-strict",)}.items():
        out = root / label
        result = invoke("solve", root / "spec.yaml", *mirror, "-o", out, *extra)
        assert result.exit_code == 0, result.output
        runs[label] = (out, result)
    return runs


def _undated(out: Path, index: dict[str, dict[str, Any]]) -> set[str]:
    """`name version (subdir)` of every locked record the snapshot has no timestamp for."""
    found = set()
    for platform in PLATFORMS:
        for line in explicit_lines(out / f"conda-{platform}.lock"):
            record = index[line.url]
            if "timestamp" not in record and "indexed_timestamp" not in record:
                found.add(f"{record['name']} {record['version']} ({record['subdir']})")
    return found


def _notice(result: CliResult) -> str:
    lines = [line for line in result.stderr.splitlines() if NOTICE in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_notice_counts_and_names_every_undated_record_in_the_lock(
    solved: dict[str, tuple[Path, CliResult]], conda_forge: dict[str, dict[str, Any]]
) -> None:
    out, result = solved["default"]
    undated = _undated(out, conda_forge)
    assert any(label.startswith("libgcc ") for label in undated), undated
    notice = _notice(result)
    assert f" {len(undated)} conda record(s) in the lock " in notice
    for label in undated:
        assert label in notice


def test_strict_leaves_every_undated_record_out(
    solved: dict[str, tuple[Path, CliResult]], conda_forge: dict[str, dict[str, Any]]
) -> None:
    out, result = solved["strict"]
    assert _undated(out, conda_forge) == set()
    assert NOTICE not in result.stderr
    for platform in PLATFORMS:
        lines = explicit_lines(out / f"conda-{platform}.lock")
        assert any(line.name == "numpy" for line in lines)
        for line in lines:
            stamp = conda_forge[line.url]["timestamp"] / 1000
            assert dt.datetime.fromtimestamp(stamp, dt.timezone.utc) <= SNAPSHOT, line.url


def test_the_lock_records_the_policy_and_the_input_hash_covers_it(
    solved: dict[str, tuple[Path, CliResult]],
) -> None:
    default, strict = (header_fields(solved[k][0] / "conda-linux-64.lock") for k in solved)
    assert "snapshot-policy" not in default
    assert strict["snapshot-policy"] == "strict"
    assert default["input-hash"] != strict["input-hash"]


def test_check_reads_the_policy_back_and_a_changed_policy_is_stale(
    solved: dict[str, tuple[Path, CliResult]], tmp_path: Path
) -> None:
    out = solved["strict"][0]
    copy = tmp_path / "out"
    copy.mkdir()
    for path in out.iterdir():
        copy.joinpath(path.name).write_bytes(path.read_bytes())
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC + "# edited: no longer the bytes the outputs record\n", "utf-8")
    fresh = invoke("check", spec, "-o", copy)
    assert fresh.exit_code == ExitCode.OK, fresh.output
    for platform in PLATFORMS:
        lock = copy / f"conda-{platform}.lock"
        text = lock.read_text(encoding="utf-8")
        lock.write_text(text.replace("# snapshot-policy: strict\n", ""), encoding="utf-8")
    stale = invoke("check", spec, "-o", copy)
    assert stale.exit_code == ExitCode.STALE, stale.output
    assert "input hash differs" in stale.stderr


def test_strict_without_a_snapshot_is_a_usage_error(shared_channels: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("snapshot: 2024-06-01\n", ""), encoding="utf-8")
    mirror = f"conda-forge={shared_channels / 'conda-forge'}"
    result = invoke("solve", spec, "--mirror", mirror, "--snapshot-strict", "-o", tmp_path)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "--snapshot-strict" in result.stderr and "--snapshot DATE" in result.stderr
