"""A dependency group's pip layer, end to end on a local index (no network): compiled on top
of the base's pins, written as requirements-<group>.txt holding only what the group adds,
accepted by pip's own `--require-hashes` check beside requirements.txt, and installed by
`hybrid install --group`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import RunCli
from tests.install.conftest import (
    BROKEN_NAME,
    PY_SHORT,
    WHEEL_NAME,
    MakeProject,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    make_project_fixture,  # noqa: F401
    posix_only,
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
    result = run_cli("install", project.spec, "--prefix", tmp_path / "x", "--group", "docs",
                     *project.mirror)
    assert result.exit_code == 2
    assert "--group 'docs': spec.yaml has no such group (groups: dev)" in result.output
