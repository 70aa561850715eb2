"""`hybrid update`: re-solve keeping every other package where possible, and show the diff."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import RunCli, WriteSpec

SPEC = (
    "version: 1\nname: up\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
    'python: "3.11"\nconda:\n  - numpy\n  - scipy\n  - pandas\n'
)


def _versions(lock: Path) -> dict[str, str]:
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.search(r"/([^/]+)-([^-/]+)-[^-/]+\.(?:conda|tar\.bz2)#", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


@pytest.fixture
def old_lock(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path
) -> tuple[Path, list[str]]:
    spec = write_spec(SPEC)
    mirror = ["--mirror", f"conda-forge={shared_channels / 'conda-forge'}"]
    result = run_cli("solve", spec, *mirror, "--snapshot", "2024-06-01")
    assert result.exit_code == 0, result.output
    return spec, mirror


@pytest.mark.snapshot
def test_updating_one_package_keeps_the_others(
    run_cli: RunCli, old_lock: tuple[Path, list[str]]
) -> None:
    spec, mirror = old_lock
    before = _versions(spec.parent / "conda-linux-64.lock")
    result = run_cli("update", spec, "pandas", *mirror)
    assert result.exit_code == 0, result.output
    after = _versions(spec.parent / "conda-linux-64.lock")
    assert after["pandas"] != before["pandas"]
    assert after["numpy"] == before["numpy"]
    assert after["scipy"] == before["scipy"]
    assert after["python"] == before["python"]
    assert re.search(r"pandas\s+│ upgraded", result.stdout), result.stdout


@pytest.mark.snapshot
def test_update_without_packages_refreshes_everything(
    run_cli: RunCli, old_lock: tuple[Path, list[str]]
) -> None:
    spec, mirror = old_lock
    before = _versions(spec.parent / "conda-linux-64.lock")
    result = run_cli("update", spec, *mirror)
    assert result.exit_code == 0, result.output
    after = _versions(spec.parent / "conda-linux-64.lock")
    assert after["numpy"] != before["numpy"]
    assert after["scipy"] != before["scipy"]
    assert "upgraded" in result.stdout


@pytest.mark.snapshot
def test_update_without_a_previous_lock_solves(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path
) -> None:
    spec = write_spec(SPEC)
    mirror = f"conda-forge={shared_channels / 'conda-forge'}"
    result = run_cli("update", spec, "numpy", "--mirror", mirror)
    assert result.exit_code == 0, result.output
    assert (spec.parent / "conda-linux-64.lock").is_file()


@pytest.mark.snapshot
def test_update_json(run_cli: RunCli, old_lock: tuple[Path, list[str]]) -> None:
    import json

    spec, mirror = old_lock
    result = run_cli("update", spec, "pandas", *mirror, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["platforms"][0]["platform"] == "linux-64"


DEMO_SPEC = (
    "version: 1\nname: up\nchannels: [hybrid-demo]\nplatforms: [linux-64]\n"
    'python: "3.11"\nconda:\n  - numpy\n'
)


@pytest.fixture
def demo_lock(
    run_cli: RunCli, write_spec: WriteSpec, demo_channel: Path
) -> tuple[Path, list[str]]:
    spec = write_spec(DEMO_SPEC)
    mirror = ["--mirror", f"hybrid-demo={demo_channel}"]
    result = run_cli("solve", spec, *mirror)
    assert result.exit_code == 0, result.output
    return spec, mirror


def test_an_unknown_package_is_an_error_with_a_suggestion(
    run_cli: RunCli, demo_lock: tuple[Path, list[str]]
) -> None:
    spec, mirror = demo_lock
    before = (spec.parent / "conda-lock.yml").read_bytes()
    result = run_cli("update", spec, "nupmy", *mirror)
    assert result.exit_code == 2, result.output
    assert "`nupmy`: no such package in spec.yaml or its lock" in result.stderr
    assert "did you mean `numpy`?" in result.stderr
    assert (spec.parent / "conda-lock.yml").read_bytes() == before  # nothing solved or written


def test_every_unknown_package_is_named(
    run_cli: RunCli, demo_lock: tuple[Path, list[str]]
) -> None:
    spec, mirror = demo_lock
    result = run_cli("update", spec, "numpy", "zzzz", "qqqq", *mirror, "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["message"].startswith("update: `zzzz`, `qqqq`: no such package")
    assert error["hint"].startswith("name packages of the spec's `conda:` or `pip:`")


def test_a_locked_dependency_or_another_spelling_is_known(
    run_cli: RunCli, demo_lock: tuple[Path, list[str]]
) -> None:
    spec, mirror = demo_lock
    # libopenblas is only in the lock (numpy's dependency); NumPy is numpy, case aside
    result = run_cli("update", spec, "libopenblas", "NumPy", *mirror)
    assert result.exit_code == 0, result.output


def test_without_a_lock_the_spec_names_are_known(
    run_cli: RunCli, write_spec: WriteSpec, demo_channel: Path
) -> None:
    spec = write_spec(DEMO_SPEC)
    mirror = ["--mirror", f"hybrid-demo={demo_channel}"]
    typo = run_cli("update", spec, "numpyy", *mirror)
    assert typo.exit_code == 2
    assert "no such package in spec.yaml (conda or PyPI names)" in typo.stderr
    assert run_cli("update", spec, "numpy", *mirror).exit_code == 0
