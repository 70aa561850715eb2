"""`snapshot:` and `--snapshot`: nothing published after the date is considered."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conda.helpers import explicit_lines, header_fields
from tests.conftest import RunCli

DEMO_SPEC = """\
version: 1
name: snap
channels: [hybrid-demo]
platforms: [linux-64, win-64]
python: "3.11"
conda:
  - numpy
"""


def _demo_spec(tmp_path: Path, snapshot: str | None) -> Path:
    path = tmp_path / "spec.yaml"
    extra = "" if snapshot is None else f"snapshot: {snapshot}\n"
    path.write_text(DEMO_SPEC + extra, encoding="utf-8")
    return path


def _numpy(out: Path, platform: str = "linux-64") -> str:
    lines = explicit_lines(out / f"conda-{platform}.lock")
    found = [line for line in lines if line.name == "numpy"]
    assert len(found) == 1
    return found[0].version


def test_spec_snapshot_picks_what_existed_then(
    run_cli: RunCli, demo_channel: Path, tmp_path: Path
) -> None:
    spec = _demo_spec(tmp_path, "2024-08-01")
    result = run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}")
    assert result.exit_code == 0, result.output
    assert _numpy(tmp_path) == "1.26.4"
    assert _numpy(tmp_path, "win-64") == "1.26.4"


def test_without_a_snapshot_the_newest_wins(
    run_cli: RunCli, demo_channel: Path, tmp_path: Path
) -> None:
    spec = _demo_spec(tmp_path, None)
    assert run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}").exit_code == 0
    assert _numpy(tmp_path) == "2.1.1"


def test_the_command_line_overrides_the_spec(
    run_cli: RunCli, demo_channel: Path, tmp_path: Path
) -> None:
    spec = _demo_spec(tmp_path, "2024-08-01")
    mirror = f"hybrid-demo={demo_channel}"
    later, earlier = tmp_path / "later", tmp_path / "earlier"
    assert run_cli("solve", spec, "--mirror", mirror, "--snapshot", "2024-09-05", "-o", later)
    assert _numpy(later) == "2.1.1"  # published 2024-09-04
    assert run_cli("solve", spec, "--mirror", mirror, "-o", earlier).exit_code == 0
    assert _numpy(earlier) == "1.26.4"
    # The snapshot decides the outputs, so it is part of the input hash.
    hashes = {header_fields(d / "environment.yml")["input-hash"] for d in (later, earlier)}
    assert len(hashes) == 2


def test_a_snapshot_before_the_requested_python_is_unsatisfiable(
    run_cli: RunCli, demo_channel: Path, tmp_path: Path
) -> None:
    spec = _demo_spec(tmp_path, None)
    # python 3.11.9 was published 2024-04-03 in the demo channel.
    result = run_cli(
        "solve", spec, "--mirror", f"hybrid-demo={demo_channel}", "--snapshot", "2024-03-01"
    )
    assert result.exit_code == 3, result.output
    assert "python 3.11.*" in result.stderr
    assert "cutoff" in result.stderr


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01"])
def test_a_bad_snapshot_option_is_a_usage_error(
    run_cli: RunCli, demo_channel: Path, tmp_path: Path, value: str
) -> None:
    spec = _demo_spec(tmp_path, None)
    result = run_cli("solve", spec, "--mirror", f"hybrid-demo={demo_channel}", "--snapshot", value)
    assert result.exit_code == 2, result.output
    assert "--snapshot" in result.stderr
    assert "Traceback" not in result.output


REAL_SPEC = """\
version: 1
name: real-snap
channels: [conda-forge]
platforms: [linux-64]
python: "3.11"
conda:
  - numpy
"""


def _solve_json(run_cli: RunCli, spec: Path, shared: Path, *extra: str) -> list[dict[str, Any]]:
    result = run_cli(
        "solve", spec, "--json", "--mirror", f"conda-forge={shared / 'conda-forge'}", *extra
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    packages: list[dict[str, Any]] = data["packages"]["default"]["linux-64"]
    return packages


def _numpy_record_times(shared: Path, version: str) -> list[dt.datetime]:
    """Upload times of every numpy `version` record of the snapshot (linux-64 and noarch)."""
    times = []
    for subdir in ("linux-64", "noarch"):
        data = json.loads((shared / "conda-forge" / subdir / "repodata.json").read_text("utf-8"))
        for key in ("packages", "packages.conda"):
            for record in data.get(key, {}).values():
                if record["name"] == "numpy" and record["version"] == version:
                    stamp = record.get("timestamp")
                    if stamp is not None:
                        times.append(dt.datetime.fromtimestamp(stamp / 1000, dt.timezone.utc))
    return times


@pytest.mark.snapshot
def test_the_real_snapshot_excludes_a_newer_numpy(
    run_cli: RunCli, shared_channels: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(REAL_SPEC, encoding="utf-8")
    newest = {p["name"]: p for p in _solve_json(run_cli, spec, shared_channels)}["numpy"]
    times = _numpy_record_times(shared_channels, newest["version"])
    assert times, f"numpy {newest['version']} has no timestamped record"
    cutoff = (min(times) - dt.timedelta(days=1)).date()

    packages = _solve_json(run_cli, spec, shared_channels, "--snapshot", cutoff.isoformat())
    older = {p["name"]: p for p in packages}["numpy"]
    assert older["version"] != newest["version"], f"numpy {newest['version']} is after {cutoff}"
    limit = dt.datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=dt.timezone.utc)
    for package in packages:
        if package["timestamp"] is not None:  # records without one are kept on purpose
            assert dt.datetime.fromisoformat(package["timestamp"]) <= limit, package["url"]
