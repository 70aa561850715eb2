"""A dependency group's moves and files, end to end on the local channel and index of
`test_promote`: a move the group's pip entries bring is reported (summary line and `--json`,
naming the group); a group whose pip entries add no pin of their own still gets its
`requirements-<group>.txt` (header only), and a spec whose pip entries are all in a group
gets pylock.toml; `hybrid check` then finds the set up to date, and pip takes the files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from packaging.pylock import Pylock

from tests.conftest import RunCli, WriteSpec
from tests.pipeline import test_promote
from tests.pipeline.test_groups_promote import _spec
from tests.pipeline.test_promote import Index, _solve

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# the local channel and index, registered here too
index = test_promote.index
lab_channel = test_promote.lab_channel


def _pins(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.split("==")[0] for line in text.splitlines() if "==" in line]


def _check(run_cli: RunCli, spec: Path) -> None:
    result = run_cli("check", spec)
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def _pip_dry_run(*files: Path) -> set[str]:
    """What pip's hash-checking dry run, without dependencies, would install from `files`."""
    args = [arg for path in files for arg in ("-r", str(path))]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--require-hashes",
         "--ignore-installed", "--disable-pip-version-check", "--quiet", "--report", "-", *args],
        capture_output=True, text=True, check=False, env={"PIP_CONFIG_FILE": "/dev/null"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {item["metadata"]["name"] for item in json.loads(done.stdout)["install"]}


def _pylock(path: Path) -> Pylock:
    return Pylock.from_dict(tomllib.loads(path.read_text(encoding="utf-8")))


def test_a_group_move_is_reported_naming_the_group(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["pytorch 2.5.*"], ["labdata"],
                 group_pip=["torchvision>=0.20"])  # fmt: skip
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 0, result.output
    assert (
        "moved to conda: group `dev`: torchvision -> conda `torchvision >=0.20` (its PyPI "
        "build is ABI-coupled to conda's pytorch; linux-64)"
    ) in " ".join(result.stdout.split()), result.stdout[-600:]
    as_json = _solve(run_cli, spec, lab_channel, demo_channel, "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["promotions"] == {"default": [{
        "pypi_name": "torchvision", "conda_spec": "torchvision >=0.20", "reason": "abi",
        "coupled_to": "pytorch", "platforms": ["linux-64"], "group": "dev",
    }]}  # fmt: skip
    # the group adds no pin of its own: its requirements file holds its header only
    assert _pins(spec.parent / "requirements-dev.txt") == []
    _check(run_cli, spec)
    assert _pip_dry_run(spec.parent / "requirements.txt",
                        spec.parent / "requirements-dev.txt") == {"labdata"}  # fmt: skip


def test_a_group_the_base_pins_satisfy_writes_an_empty_requirements_file(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    """labtimm brings labtqdm into the base's pip layer: the group's labtqdm adds nothing."""
    spec = _spec(write_spec, index, ["pytorch 2.5.*"], ["labtimm"], group_pip=["labtqdm"])
    result = _solve(run_cli, spec, lab_channel, demo_channel, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["groups"]["default"]["dev"]["linux-64"] == {"conda": {}, "pip": {}}
    assert report["promotions"]["default"][0]["pypi_name"] == "torchvision"  # the base's
    assert all("group" not in p for p in report["promotions"]["default"])
    assert _pins(spec.parent / "requirements.txt") == ["labtimm", "labtqdm"]
    assert _pins(spec.parent / "requirements-dev.txt") == []
    assert str(spec.parent / "requirements-dev.txt") in report["files"]
    _check(run_cli, spec)
    assert _pip_dry_run(spec.parent / "requirements.txt",
                        spec.parent / "requirements-dev.txt") == {"labtimm", "labtqdm"}  # fmt: skip


def test_pip_entries_only_in_a_group_get_pylock_toml(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["pytorch 2.5.*"], [], group_pip=["labdata"])
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 0, result.output
    assert not (spec.parent / "requirements.txt").exists()
    lock = _pylock(spec.parent / "pylock.toml")
    assert lock.dependency_groups == ["dev"]
    assert [(p.name, str(p.marker)) for p in lock.packages] == [
        ("labdata", '"dev" in dependency_groups')
    ]
    assert [str(m) for m in lock.environments or ()] == [
        'sys_platform == "linux" and platform_machine == "x86_64"'
    ]
    assert str(lock.requires_python) == "==3.11.*"
    _check(run_cli, spec)
    assert _pip_dry_run(spec.parent / "requirements-dev.txt") == {"labdata"}


def test_a_group_whose_pip_entries_all_move_keeps_both_files(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    """No pip entry in the base, the group's moved to conda: requirements-dev.txt (header
    only) and pylock.toml (the group named, no package) are written and expected."""
    spec = _spec(write_spec, index, ["pytorch 2.5.*"], [], group_pip=["torchvision>=0.20"])
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 0, result.output
    assert _pins(spec.parent / "requirements-dev.txt") == []
    lock = _pylock(spec.parent / "pylock.toml")
    assert lock.dependency_groups == ["dev"]
    assert lock.packages == []
    _check(run_cli, spec)
