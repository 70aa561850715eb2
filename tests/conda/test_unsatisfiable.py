"""Unsatisfiable conda layers: exit 3, the platform and spec entries explained, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.devtools.local_channel import PackageSpec
from tests.conda.helpers import make_channel, read_tree
from tests.conftest import RunCli, WriteSpec

CONFLICT_SPEC = """\
version: 1
name: conflict
channels: [../channel]
platforms: [linux-64, osx-64, win-64]
conda:
  - wants-new-lib
  - lib <2
"""


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unsat") / "channel"
    return make_channel(
        root,
        [
            PackageSpec(name="wants-new-lib", version="1.0", depends=("lib >=2",)),
            PackageSpec(name="lib", version="1.5"),
            PackageSpec(name="lib", version="2.0"),
            PackageSpec(name="tool", version="1.0"),
            PackageSpec(name="linux-only", version="1.0", subdir="linux-64"),
        ],
    )


def _spec_next_to(channel: Path, text: str, name: str = "spec.yaml") -> Path:
    """A spec in a sibling folder of `channel`, so `../channel` reaches it."""
    folder = channel.parent / "project"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.snapshot
def test_no_candidates_on_the_real_snapshot(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, tmp_path: Path
) -> None:
    spec = write_spec(
        "version: 1\n"
        "name: old-numpy\n"
        "channels: [conda-forge]\n"
        "platforms: [linux-64, win-64]\n"
        'python: "3.11"\n'
        "conda:\n"
        "  - scipy\n"
        "  - numpy <1\n"
    )
    out = tmp_path / "out"
    result = run_cli(
        "solve", spec, "-o", out, "--mirror", f"conda-forge={shared_channels / 'conda-forge'}"
    )
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "cannot be solved for linux-64" in result.stderr
    assert "numpy <1" in result.stderr  # the solver's own explanation
    assert f"{spec}:8:5: conda[1] `numpy <1`" in result.stderr
    assert not out.exists()


def test_conflicting_entries_are_both_named_with_positions(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    spec = _spec_next_to(channel, CONFLICT_SPEC)
    out = tmp_path / "out"
    result = run_cli("solve", spec, "-o", out)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "the conda layer cannot be solved for linux-64:" in result.stderr
    assert "lib >=2" in result.stderr  # from the solver's explanation
    assert f"{spec}:6:5: conda[0] `wants-new-lib`" in result.stderr
    assert f"{spec}:7:5: conda[1] `lib <2`" in result.stderr
    assert not out.exists()


def test_the_first_failing_platform_in_spec_order_is_reported(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    """Every platform fails; the message must not depend on which solve finished first."""
    text = CONFLICT_SPEC.replace("[linux-64, osx-64, win-64]", "[win-64, osx-64, linux-64]")
    spec = _spec_next_to(channel, text, "order.yaml")
    for _ in range(5):
        result = run_cli("solve", spec, "-o", tmp_path / "out")
        assert result.exit_code == 3
        assert "cannot be solved for win-64:" in result.stderr


def test_a_later_platform_failing_leaves_previous_outputs_untouched(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    good = (
        "version: 1\n"
        "name: keep\n"
        "channels: [../channel]\n"
        "platforms: [linux-64, win-64]\n"
        "conda:\n"
        "  - tool\n"
    )
    spec = _spec_next_to(channel, good, "keep.yaml")
    out = tmp_path / "out"
    assert run_cli("solve", spec, "-o", out).exit_code == 0
    before = read_tree(out)
    stats = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert "conda-win-64.lock" in before

    spec.write_text(good + "  - linux-only\n", encoding="utf-8")
    result = run_cli("solve", spec, "-o", out)
    assert result.exit_code == 3, result.output
    assert "cannot be solved for win-64" in result.stderr
    assert f"{spec}:7:5: conda[1] `linux-only`" in result.stderr
    assert "Traceback" not in result.output
    assert read_tree(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stats
