"""`hybrid doctor PREFIX`: prefixes really installed (rattler, uv) from local packages, then
damaged the way pip damages them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hybrid.prefix.paths import current_platform
from tests.conftest import RunCli
from tests.install.conftest import (
    PY_SHORT,
    WHEEL_NAME,
    MakeProject,
    build_wheel,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    make_project_fixture,  # noqa: F401
    needs_pip,
    posix_only,
)

DEMO_SPEC = """\
version: 1
name: demo
channels: [hybrid-demo]
platforms: [{platform}]
python: "3.11"
conda:
  - numpy 1.26.*
"""
DEMO_SITE = "lib/python3.11/site-packages"


@pytest.fixture
def demo_env(run_cli: RunCli, demo_channel: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(prefix, output dir): the demo channel's numpy 1.26.4 installed by `hybrid install`."""
    if current_platform() not in ("linux-64", "osx-64", "osx-arm64"):
        pytest.skip("the demo channel has no packages for this platform")
    project = tmp_path / "project"
    project.mkdir()
    spec = project / "spec.yaml"
    spec.write_text(DEMO_SPEC.format(platform=current_platform()), encoding="utf-8")
    mirror = ("--mirror", f"hybrid-demo={demo_channel}")
    assert run_cli("solve", spec, *mirror).exit_code == 0
    prefix = tmp_path / "env"
    installed = run_cli("install", spec, "-p", prefix, *mirror)
    assert installed.exit_code == 0, installed.output
    return prefix, project


def _pip_over_conda(prefix: Path, version: str = "2.1.1") -> None:
    """What `pip install --ignore-installed numpy==2.1.1` leaves over conda's numpy."""
    site = prefix / DEMO_SITE
    info = site / f"numpy-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: numpy\nVersion: {version}\n")
    (info / "INSTALLER").write_text("pip\n")
    (site / "numpy" / "__init__.py").write_text(f'__version__ = "{version}"\n')
    (info / "RECORD").write_text(
        f"numpy/__init__.py,,\nnumpy-{version}.dist-info/METADATA,,\n"
        f"numpy-{version}.dist-info/INSTALLER,,\nnumpy-{version}.dist-info/RECORD,,\n"
    )


def _codes(result_stdout: str) -> list[str]:
    return [f["code"] for f in json.loads(result_stdout)["findings"]]


def test_a_clean_prefix_is_exit_0(run_cli: RunCli, demo_env: tuple[Path, Path]) -> None:
    prefix, outputs = demo_env
    result = run_cli("doctor", prefix, "--lock", outputs)
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.stdout
    assert "skipped: pip check: no interpreter" in result.stderr  # the demo python is a stand-in


def test_pip_over_conda_is_found(run_cli: RunCli, demo_env: tuple[Path, Path]) -> None:
    prefix, _ = demo_env
    _pip_over_conda(prefix)
    result = run_cli("doctor", prefix, "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["clean"] is False
    by_code = {f["code"]: f for f in report["findings"]}
    assert set(by_code) == {"pip-over-conda", "duplicate-distribution"}
    over = by_code["pip-over-conda"]
    assert over["subject"] == "numpy"
    assert over["reason"].startswith("pip installed numpy 2.1.1 over conda's numpy 1.26.4")
    assert "conda installs the same distribution" in over["reason"]
    assert "1 of its files are conda's" in over["reason"]
    assert "hybrid install" in over["fix"]
    dup = by_code["duplicate-distribution"]["reason"]
    assert "numpy-1.26.4.dist-info (conda)" in dup and "numpy-2.1.1.dist-info (pip)" in dup


def test_the_table_names_code_reason_and_fix(
    run_cli: RunCli, demo_env: tuple[Path, Path]
) -> None:
    prefix, _ = demo_env
    _pip_over_conda(prefix)
    result = run_cli("doctor", prefix)
    assert result.exit_code == 1
    for text in ("2 finding(s)", "pip-over-conda", "duplicate-distribution", "what to do"):
        assert text in result.stdout


def test_pip_uninstalling_conda_files_is_found(
    run_cli: RunCli, demo_env: tuple[Path, Path]
) -> None:
    prefix, _ = demo_env
    shutil.rmtree(prefix / DEMO_SITE / "numpy-1.26.4.dist-info")
    _pip_over_conda(prefix)
    result = run_cli("doctor", prefix, "--json")
    assert result.exit_code == 1
    assert sorted(_codes(result.stdout)) == ["conda-files-missing", "pip-over-conda"]


def test_lock_comparison(run_cli: RunCli, demo_env: tuple[Path, Path]) -> None:
    prefix, outputs = demo_env
    _pip_over_conda(prefix)
    tzdata = next((prefix / "conda-meta").glob("tzdata-*.json"))
    tzdata.unlink()
    result = run_cli("doctor", prefix, "--lock", outputs, "--json")
    assert result.exit_code == 1
    codes = _codes(result.stdout)
    assert "pip-not-in-lock" in codes  # numpy 2.1.1 from pip; the spec has no pip layer
    assert "conda-missing" in codes  # tzdata is locked, its record is gone


def test_the_advice_for_one_package_agrees(run_cli: RunCli, demo_env: tuple[Path, Path]) -> None:
    """numpy from pip over conda's, not in requirements.txt: every finding about numpy says
    to keep it in the conda layer; none says to add it to the spec's `pip:`."""
    prefix, outputs = demo_env
    _pip_over_conda(prefix)
    result = run_cli("doctor", prefix, "--lock", outputs, "--json")
    assert result.exit_code == 1
    numpy = [f for f in json.loads(result.stdout)["findings"] if f["subject"] == "numpy"]
    assert {f["code"] for f in numpy} == {
        "pip-over-conda", "duplicate-distribution", "pip-not-in-lock"
    }
    [fix] = {f["fix"] for f in numpy}
    assert "change the conda spec, not the pip layer" in fix
    assert "`pip:`" not in fix


def test_lock_dir_without_the_platform_file(
    run_cli: RunCli, demo_env: tuple[Path, Path], tmp_path: Path
) -> None:
    prefix, _ = demo_env
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("doctor", prefix, "--lock", empty)
    assert result.exit_code == 2
    assert f"no conda-{current_platform()}.lock there" in result.stderr


def test_not_an_environment(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("doctor", tmp_path)
    assert result.exit_code == 2
    assert "not a conda environment" in result.stderr


@posix_only
@needs_pip
def test_real_interpreter_env_clean_then_pip_check_and_lock_findings(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project()
    prefix = tmp_path / "env"
    assert run_cli("install", project.spec, "-p", prefix, *project.mirror).exit_code == 0
    clean = run_cli("doctor", prefix, "--lock", project.directory)
    assert clean.exit_code == 0, clean.output
    assert "pip-check" in clean.stdout
    # a pip-installed distribution whose requirement is missing, not in the lock
    wheel = build_wheel(tmp_path / "extra", name="needy", module="needy")
    site = prefix / "lib" / f"python{PY_SHORT}" / "site-packages"
    _add_requirement(wheel, site, prefix, "absent-dependency>=1")
    result = run_cli("doctor", prefix, "--lock", project.directory, "--json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    codes = {f["code"] for f in findings}
    assert codes == {"pip-check", "pip-not-in-lock"}
    check = next(f for f in findings if f["code"] == "pip-check")
    assert "absent-dependency" in check["reason"] and check["reason"].startswith("pip check")
    assert WHEEL_NAME not in {f["subject"] for f in findings}


def _add_requirement(wheel: Path, site: Path, prefix: Path, requirement: str) -> None:
    """Install `wheel` with the environment's pip, then give it a missing requirement."""
    import subprocess

    subprocess.run([str(prefix / "bin" / "python"), "-I", "-m", "pip", "install", "--no-deps",
                    "--no-index", "--disable-pip-version-check", "-q", str(wheel)], check=True)
    metadata = next(site.glob("needy-*.dist-info")) / "METADATA"
    metadata.write_text(metadata.read_text() + f"Requires-Dist: {requirement}\n")
