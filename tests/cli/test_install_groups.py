"""A dependency group's pip layer, end to end on a local index (no network): compiled on top
of the base's pins, written as requirements-<group>.txt holding only what the group adds,
accepted by pip's own `--require-hashes` check beside requirements.txt, and installed by
`hybrid install --group`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CliResult, RunCli
from tests.install.conftest import (
    BROKEN_NAME,
    CHANNEL_NAME,
    PY_FULL,
    PY_SHORT,
    SUBDIR,
    WHEEL_NAME,
    MakeProject,
    build_wheel,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    make_project_fixture,  # noqa: F401
    needs_pip,
    posix_only,
    spec_text,
    start_index,
)

pytestmark = posix_only
DEV = f"groups:\n  dev:\n    pip: [{BROKEN_NAME}]\n"


def _pins(path: Path) -> list[str]:
    return [line.split()[0] for line in path.read_text().splitlines() if "==" in line]


def test_group_requirements_hold_only_what_the_group_adds(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project(extra=DEV)
    out = project.directory
    assert _pins(out / "requirements.txt") == [f"{WHEEL_NAME}==1.0.0"]
    assert _pins(out / "requirements-dev.txt") == [f"{BROKEN_NAME}==1.0.0"]
    assert "--hash=sha256:" in (out / "requirements-dev.txt").read_text()
    # pip's own hash-checking install of both files, resolving nothing (--no-deps)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--require-hashes",
         "--ignore-installed", "--disable-pip-version-check", "--quiet", "--report", "-",
         "-r", str(out / "requirements.txt"), "-r", str(out / "requirements-dev.txt")],
        capture_output=True, text=True, check=False, env={"PIP_CONFIG_FILE": "/dev/null"},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert sorted(item["metadata"]["name"] for item in report["install"]) == sorted(
        [WHEEL_NAME, BROKEN_NAME]
    )


def test_the_base_requirements_do_not_change_with_a_group(make_project: MakeProject) -> None:
    plain = make_project(folder="plain")
    grouped = make_project(folder="grouped", extra=DEV)
    for name in ("requirements.txt", "conda-lock.yml"):
        before = (plain.directory / name).read_text().split("# body-sha256:", 1)[1]
        after = (grouped.directory / name).read_text().split("# body-sha256:", 1)[1]
        if name == "requirements.txt":
            assert after == before
        else:  # the group's wheel joins conda-lock.yml as category `dev`, nothing else changes
            assert after.count(BROKEN_NAME) > 0 and before.count(BROKEN_NAME) == 0


def test_install_with_a_group(run_cli: RunCli, make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project(extra=DEV)
    site = f"lib/python{PY_SHORT}/site-packages"
    base, both = tmp_path / "base", tmp_path / "dev"
    result = run_cli("install", project.spec, "--prefix", base, *project.mirror)
    assert result.exit_code == 0, result.output
    assert not list((base / site).glob("hybrid_test_broken*"))
    result = run_cli("install", project.spec, "--prefix", both, "--group", "dev", "--no-verify",
                     *project.mirror)
    assert result.exit_code == 0, result.output
    assert "pip layer: 2 distributions" in result.stdout
    assert list((both / site).glob("hybrid_test_broken-1.0.0.dist-info"))
    assert list((both / site).glob("hybrid_test_greet-1.0.0.dist-info"))
    # doctor compares the environment with the base and group's files, not the base's alone
    assert run_cli("doctor", base, "--lock", project.directory).exit_code == 0
    result = run_cli("doctor", both, "--lock", project.directory, "--group", "dev")
    assert result.exit_code == 0, result.output
    result = run_cli("doctor", both, "--lock", project.directory)
    assert result.exit_code == 1
    assert f"{BROKEN_NAME} 1.0.0 (uv) is installed but not in requirements.txt" in result.output
    result = run_cli("install", project.spec, "--prefix", tmp_path / "x", "--group", "docs",
                     *project.mirror)
    assert result.exit_code == 2
    assert "--group 'docs': spec.yaml has no such group (groups: dev)" in result.output


@pytest.fixture(scope="module")
def needy_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """greet 1.0.0 and 2.0.0, `needs-new-greet` (greet >=2) and `needs-any-greet` (greet)."""
    directory = tmp_path_factory.mktemp("needy-wheels")
    wheels = [
        build_wheel(directory),
        build_wheel(directory, version="2.0.0"),
        build_wheel(directory, name="needs-new-greet", module="needs_new_greet",
                    requires=(f"{WHEEL_NAME} >=2",)),
        build_wheel(directory, name="needs-any-greet", module="needs_any_greet",
                    requires=(WHEEL_NAME,)),
    ]
    url, stop = start_index(wheels)
    yield url
    stop()


def _solve(run_cli: RunCli, channel: Path, directory: Path, text: str) -> CliResult:
    directory.mkdir()
    (directory / "spec.yaml").write_text(text, encoding="utf-8")
    return run_cli("solve", directory / "spec.yaml",
                   "--mirror", f"{CHANNEL_NAME}={channel}")


def test_a_group_pip_entry_that_would_move_a_base_pin(
    run_cli: RunCli, interpreter_channel: Path, needy_index: str, tmp_path: Path
) -> None:
    base = (f"{WHEEL_NAME} <2",)
    fits = spec_text(pip=base, index=needy_index,
                     extra="groups:\n  dev:\n    pip: [needs-any-greet]\n")
    result = _solve(run_cli, interpreter_channel, tmp_path / "fits", fits)
    assert result.exit_code == 0, result.output
    assert _pins(tmp_path / "fits" / "requirements.txt") == [f"{WHEEL_NAME}==1.0.0"]
    # the base's pin satisfies the group's dependency: it is not repeated
    assert _pins(tmp_path / "fits" / "requirements-dev.txt") == ["needs-any-greet==1.0.0"]
    moves = spec_text(pip=base, index=needy_index,
                      extra="groups:\n  dev:\n    pip: [needs-new-greet]\n")
    result = _solve(run_cli, interpreter_channel, tmp_path / "moves", moves)
    assert result.exit_code == 3, result.output
    assert "group `dev`" in result.output
    assert f"`needs-new-greet` cannot be installed on {SUBDIR} (Python {PY_FULL}) next to " \
        f"{WHEEL_NAME} 1.0.0 pinned by the base's pip layer" in result.output
    assert "conda" not in result.output
    assert not (tmp_path / "moves" / "requirements.txt").exists()


@needs_pip
def test_a_pip_group_on_a_base_without_pip(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    """The base has no pip layer (no pip, no requirements.txt); the group brings both."""
    project = make_project(pip=(), extra=f"groups:\n  dev:\n    pip: [{WHEEL_NAME}]\n")
    out = project.directory
    assert not (out / "requirements.txt").exists()
    assert _pins(out / "requirements-dev.txt") == [f"{WHEEL_NAME}==1.0.0"]
    base = (out / f"conda-{SUBDIR}.lock").read_text()
    both = (out / f"conda-{SUBDIR}.dev.lock").read_text()
    assert "/pip-" not in base and "/pip-" in both
    prefix = tmp_path / "env"
    result = run_cli("install", project.spec, "--prefix", prefix, "--group", "dev",
                     *project.mirror)
    assert result.exit_code == 0, result.output
    assert "1 module(s) imported, 0 problem(s)" in result.stdout
