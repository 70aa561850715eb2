"""The lab practice end to end, with a dev group on top (real PyPI: `network`): the spec of
tests/scenarios/groups solved with and without its group gives the same base files; conda-lock
parses and renders the group as category `dev`; pip's own hash-checking dry run accepts
requirements.txt and requirements-dev.txt together with `--no-deps`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conda_lock.lockfile import parse_conda_lock_file

from tests.conda.helpers import explicit_lines
from tests.conftest import main_in_process

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SPEC = Path(__file__).resolve().parent.parent / "scenarios" / "groups" / "spec.yaml"
CONDA_LOCK = Path(sys.executable).with_name("conda-lock")

pytestmark = pytest.mark.network


def _body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("# body-sha256:", 1)[1].split("\n", 1)[1]


def _pip_packages(path: Path) -> object:
    """pylock.toml's base packages: without its `[tool.hybrid]` table (the input hash and the
    conda lock files' digests: conda-lock.yml gains the group's packages) and without the
    group's packages (marked `"dev" in dependency_groups`)."""
    packages = tomllib.loads(path.read_text(encoding="utf-8"))["packages"]
    return [p for p in packages if "dependency_groups" not in p.get("marker", "")]


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory, demo_channel: Path) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("groups-scenario")
    text = SPEC.read_text(encoding="utf-8")
    outs = []
    for name, spec_text in (("grouped", text), ("plain", text.split("groups:")[0])):
        directory = root / name
        directory.mkdir()
        (directory / "spec.yaml").write_text(spec_text, encoding="utf-8")
        result = main_in_process(
            "solve", directory / "spec.yaml", "-o", directory / "out",
            "--mirror", f"hybrid-demo={demo_channel}",
        )
        assert result.exit_code == 0, result.output
        outs.append(directory / "out")
    return outs[0], outs[1]


def test_base_files_are_the_same_bytes_with_the_group(solved: tuple[Path, Path]) -> None:
    grouped, plain = solved
    names = sorted(p.name for p in plain.iterdir())
    assert "requirements.txt" in names
    assert "pylock.toml" in names
    assert _pip_packages(grouped / "pylock.toml") == _pip_packages(plain / "pylock.toml")
    for name in names:
        if name not in ("conda-lock.yml", "pylock.toml"):
            assert _body(grouped / name) == _body(plain / name), name
    main = {
        (p.platform, p.manager, p.name, str(p.url))
        for p in parse_conda_lock_file(grouped / "conda-lock.yml").package
        if "main" in p.categories
    }
    assert main == {
        (p.platform, p.manager, p.name, str(p.url))
        for p in parse_conda_lock_file(plain / "conda-lock.yml").package
    }
    dev = {
        (p.platform, p.manager, p.name)
        for p in parse_conda_lock_file(grouped / "conda-lock.yml").package
        if p.categories == {"dev"}
    }
    assert dev == {
        (platform, manager, name)
        for platform in ("linux-64", "win-64")
        for manager, name in (("conda", "hybrid-demo-hello"), ("pip", "iniconfig"))
    }


@pytest.mark.skipif(not CONDA_LOCK.exists(), reason="conda-lock is not installed beside python")
def test_conda_lock_render_with_the_dev_category(solved: tuple[Path, Path], tmp_path: Path) -> None:
    grouped, _ = solved
    done = subprocess.run(
        [str(CONDA_LOCK), "render", "-k", "explicit", "-p", "linux-64", "--dev-dependencies",
         str(grouped / "conda-lock.yml")],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    rendered = explicit_lines(tmp_path / "conda-linux-64.lock")
    conda_urls = {line.url for line in rendered if "/hybrid-demo/" in line.url}
    assert conda_urls == {line.url for line in explicit_lines(grouped / "conda-linux-64.dev.lock")}
    text = (tmp_path / "conda-linux-64.lock").read_text()
    assert "iniconfig" in text and "tifffile" in text  # pip packages of both categories


def test_pip_accepts_both_requirements_files_with_hashes(solved: tuple[Path, Path]) -> None:
    grouped, _ = solved
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--require-hashes",
         "--ignore-installed", "--disable-pip-version-check", "--quiet", "--report", "-",
         "-r", str(grouped / "requirements.txt"), "-r", str(grouped / "requirements-dev.txt")],
        capture_output=True, text=True, check=False, env={"PIP_CONFIG_FILE": "/dev/null"},
    )
    assert done.returncode == 0, done.stderr
    installed = {item["metadata"]["name"] for item in json.loads(done.stdout)["install"]}
    assert installed == {"tifffile", "iniconfig"}
