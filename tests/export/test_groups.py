"""Dependency groups in exports: pixi.lock has an environment per group, docker, apptainer
and sbom take `--group`, and without it they say which groups they leave out."""

from __future__ import annotations

import json
from pathlib import Path

import rattler

from hybrid.readback.diff import MAIN, read_lock
from tests.conftest import RunCli
from tests.export.test_containers import instructions
from tests.export.test_pixi import _pixi_packages
from tests.install.conftest import BROKEN_NAME


def _lock_packages(conda_lock: Path, group: str | None) -> dict[str, set[tuple[str, ...]]]:
    """platform -> the packages of the base (and `group`) as `_pixi_packages` gives them."""
    categories = {MAIN} if group is None else {MAIN, group}
    found: dict[str, set[tuple[str, ...]]] = {}
    for (platform, layer, _, category), (name, locked) in read_lock(conda_lock).items():
        if category in categories:
            found.setdefault(platform, set()).add(
                (layer, name, locked.version, locked.url, locked.sha256 or "",
                 (locked.md5 or "") if layer == "conda" else "")
            )
    return found


def test_pixi_lock_has_an_environment_per_group_with_base_and_group(
    groups_project: Path, run_cli: RunCli
) -> None:
    result = run_cli("export", "pixi", groups_project)
    assert result.exit_code == 0, result.output
    assert "2 environment(s)" in result.stdout
    assert "left out" not in result.stderr
    lock = rattler.LockFile.from_path(groups_project.parent / "pixi.lock")
    environments = dict(lock.environments())
    assert sorted(environments) == ["default", "default-dev"]
    conda_lock = groups_project.parent / "conda-lock.yml"
    base, dev = _lock_packages(conda_lock, None), _lock_packages(conda_lock, "dev")
    assert _pixi_packages(environments["default"]) == base
    assert _pixi_packages(environments["default-dev"]) == dev
    added = {entry[:2] for entry in dev["linux-64"] - base["linux-64"]}
    assert added == {("conda", "hybrid-demo-hello"), ("pip", BROKEN_NAME)}


def test_docker_with_a_group_installs_its_explicit_file_and_requirements_after_the_base(
    groups_project: Path, run_cli: RunCli
) -> None:
    result = run_cli("export", "docker", groups_project, "--group", "dev")
    assert result.exit_code == 0, result.output
    assert "left out" not in result.stderr
    text = (groups_project.parent / "Dockerfile").read_text(encoding="utf-8")
    steps = instructions(text)
    copies = [arguments.split()[0] for keyword, arguments in steps if keyword == "COPY"]
    assert copies == ["conda-linux-64.dev.lock", "requirements.txt", "requirements-dev.txt"]
    pip = [arguments for keyword, arguments in steps if keyword == "RUN" and "-r " in arguments]
    assert [line.rsplit(" ", 1)[-1] for line in pip] == [
        "/opt/hybrid/requirements.txt", "/opt/hybrid/requirements-dev.txt"
    ]
    assert all("--require-hashes" in line for line in pip)
    assert "group dev" in text.splitlines()[0]


def test_exports_without_group_say_which_groups_they_leave_out(
    groups_project: Path, run_cli: RunCli
) -> None:
    for kind in ("docker", "apptainer", "sbom"):
        result = run_cli("export", kind, groups_project)
        assert result.exit_code == 0, result.output
        assert "notice: dependency group(s) left out: dev" in " ".join(result.stderr.split())


def test_sbom_with_a_group_lists_the_group_packages(
    groups_project: Path, run_cli: RunCli
) -> None:
    result = run_cli("export", "sbom", groups_project, "--group", "dev")
    assert result.exit_code == 0, result.output
    document = json.loads(
        (groups_project.parent / "sbom-linux-64.dev.cdx.json").read_text(encoding="utf-8")
    )
    names = {component["name"] for component in document["components"]}
    assert {"numpy", "hybrid-demo-hello", BROKEN_NAME} <= names
    properties = {p["name"]: p["value"] for p in document["metadata"]["properties"]}
    assert properties["hybrid:group"] == "dev"


def test_an_unknown_group_or_a_group_for_pixi_exits_2(
    groups_project: Path, run_cli: RunCli
) -> None:
    unknown = run_cli("export", "docker", groups_project, "--group", "docs")
    assert unknown.exit_code == 2
    assert "no such group (groups: dev)" in unknown.output
    pixi = run_cli("export", "pixi", groups_project, "--group", "dev")
    assert pixi.exit_code == 2
    assert "drop --group" in pixi.output


def test_apptainer_with_a_group_copies_and_installs_its_files(
    groups_project: Path, run_cli: RunCli
) -> None:
    result = run_cli("export", "apptainer", groups_project, "--group", "dev")
    assert result.exit_code == 0, result.output
    text = (groups_project.parent / "hybrid.def").read_text(encoding="utf-8")
    files = text.split("%files\n", 1)[1].split("\n\n", 1)[0].split()
    assert files[::2] == ["conda-linux-64.dev.lock", "requirements.txt", "requirements-dev.txt"]
    post = text.split("%post\n", 1)[1].split("\n\n", 1)[0]
    assert post.index("-r /opt/hybrid/requirements.txt") \
        < post.index("-r /opt/hybrid/requirements-dev.txt")
