"""`hybrid install`: real environments from locally built packages — conda layer with rattler,
pip layer with uv (or pip), checks; stale outputs refused; errors as exit codes."""

from __future__ import annotations

import json
import logging
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.install.conftest import (
    BROKEN_NAME,
    HAVE_PIP,
    PY_FULL,
    PY_SHORT,
    SUBDIR,
    WHEEL_MODULE,
    WHEEL_NAME,
    MakeProject,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    make_project_fixture,  # noqa: F401
    needs_pip,
    posix_only,
    serve_directory,
)

pytestmark = posix_only


def _python(prefix: Path) -> Path:
    return prefix / "bin" / "python"


def _run_in_env(prefix: Path, code: str) -> str:
    done = subprocess.run([str(_python(prefix)), "-I", "-c", code], capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def _site(prefix: Path) -> Path:
    return prefix / "lib" / f"python{PY_SHORT}" / "site-packages"


def test_install_creates_conda_then_pip_layer(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project()
    prefix = tmp_path / "env"
    caplog.set_level(logging.INFO, logger="hybrid.install")
    result = run_cli("install", project.spec, "--prefix", prefix, *project.mirror)
    assert result.exit_code == 0, result.output
    assert "conda layer: 3 packages" in result.stdout
    assert "pip layer: 1 distributions with uv" in result.stdout
    assert "1 module(s) imported, 0 problem(s)" in result.stdout
    # the conda layer: records, a noarch python package linked into site-packages
    meta = sorted(p.name for p in (prefix / "conda-meta").glob("*.json"))
    assert [name.rsplit("-", 2)[0] for name in meta] == [
        "hybrid-test-conda-hello", "pip", "python"]
    assert (_site(prefix) / "hybrid_test_conda_hello" / "__init__.py").is_file()
    # the pip layer, installed by uv into the environment's interpreter
    installer = _site(prefix) / f"{WHEEL_NAME.replace('-', '_')}-1.0.0.dist-info" / "INSTALLER"
    assert installer.read_text().strip() == "uv"
    greeting = _run_in_env(prefix, f"import {WHEEL_MODULE}, sys; "
                                   f"print({WHEEL_MODULE}.greet(), sys.prefix)")
    assert greeting == f"hi from {WHEEL_NAME} {prefix}"
    # conda first, pip last
    steps = [r.name for r in caplog.records if r.name.endswith(("conda_layer", "pip_layer"))]
    assert steps[-1] == "hybrid.install.pip_layer" and set(steps[:-1]) == {
        "hybrid.install.conda_layer"}
    conda_done = max(p.stat().st_mtime_ns for p in (prefix / "conda-meta").glob("*.json"))
    assert installer.stat().st_mtime_ns >= conda_done


def test_conda_meta_records_the_lock_urls(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project(pip=())
    prefix = tmp_path / "env"
    assert run_cli("install", project.spec, "-p", prefix, *project.mirror).exit_code == 0
    lock = (project.directory / f"conda-{SUBDIR}.lock").read_text()
    for path in (prefix / "conda-meta").glob("*.json"):
        record = json.loads(path.read_text())
        assert f"{record['url']}#{record['md5']}" in lock
        assert record["channel"] == "https://conda.anaconda.org/hybrid-install-test"
    python = json.loads(next((prefix / "conda-meta").glob("python-*.json")).read_text())
    assert python["requested_specs"] == [f"python {PY_SHORT}.*"]
    assert (prefix / "bin" / "python").is_symlink()


def test_stale_outputs_are_refused_and_force_overrides(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project()
    project.spec.write_text(project.spec.read_text().replace("install-test", "renamed"))
    prefix = tmp_path / "env"
    refused = run_cli("install", project.spec, "-p", prefix, *project.mirror)
    assert refused.exit_code == 4, refused.output
    assert "stale" in refused.stderr and "--force" in refused.stderr
    assert not prefix.exists()
    forced = run_cli("install", project.spec, "-p", prefix, "--force", *project.mirror)
    assert forced.exit_code == 0, forced.output
    assert "warning:" in forced.stderr
    assert _run_in_env(prefix, f"import {WHEEL_MODULE}; print('ok')") == "ok"


def test_spec_defaults_to_the_current_directory_and_name_goes_to_envs_dir(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(pip=())
    monkeypatch.chdir(project.directory)
    monkeypatch.setenv("HYBRID_ENVS_DIR", str(tmp_path / "envs"))
    result = run_cli("install", "-n", "lab", *project.mirror)
    assert result.exit_code == 0, result.output
    assert _python(tmp_path / "envs" / "lab").exists()


def test_reinstalling_into_the_same_prefix_updates_it(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project()
    prefix = tmp_path / "env"
    for _ in range(2):
        result = run_cli("install", project.spec, "-p", prefix, *project.mirror)
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("installer", ["uv", pytest.param("pip", marks=needs_pip)])
def test_user_settings_do_not_leak_into_the_pip_layer(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, installer: str,
) -> None:
    config = tmp_path / "pip.conf"
    config.write_text("[global]\nno-index = true\n")
    for name, value in {"PIP_CONFIG_FILE": str(config), "PIP_NO_INDEX": "1",
                        "PIP_REQUIRE_VIRTUALENV": "1", "UV_NO_INDEX": "1",
                        "UV_INDEX_URL": "http://127.0.0.1:9/simple"}.items():
        monkeypatch.setenv(name, value)
    project = make_project()
    prefix = tmp_path / "env"
    result = run_cli("install", project.spec, "-p", prefix, "--installer", installer,
                     *project.mirror)
    assert result.exit_code == 0, result.output
    assert f"with {installer}" in result.stdout
    assert ("checked: pip check" if HAVE_PIP else "checked: uv check") in result.stdout
    installer_file = (_site(prefix) / f"{WHEEL_NAME.replace('-', '_')}-1.0.0.dist-info"
                      / "INSTALLER")
    assert installer_file.read_text().strip() == installer


def test_packages_are_downloaded_over_http_and_verified(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path, interpreter_channel: Path
) -> None:
    project = make_project()
    with serve_directory(interpreter_channel) as url:
        mirror = ("--mirror", f"hybrid-install-test={url}")
        result = run_cli("install", project.spec, "-p", tmp_path / "env", *mirror)
    assert result.exit_code == 0, result.output
    archives = Path(os.environ["HYBRID_CACHE_DIR"]) / "conda-packages" / "archives"
    assert (archives / f"python-{PY_FULL}-h0_0_cpython.tar.bz2").is_file()
    assert not list(archives.glob("*.partial"))


def test_a_hash_mismatch_installs_nothing(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project(pip=())
    lock = project.directory / f"conda-{SUBDIR}.lock"
    lines = lock.read_text().splitlines()
    last = lines[-1]
    lines[-1] = last[: last.index("#") + 1] + "0" * 32
    lock.write_text("\n".join(lines) + "\n")
    prefix = tmp_path / "env"
    # the edited lock is stale (its body digest differs); --force reaches the download check
    result = run_cli("install", project.spec, "-p", prefix, "--force", *project.mirror)
    assert result.exit_code == 5, result.output
    assert "hash mismatch" in result.stderr and "nothing was installed" in result.stderr
    assert not prefix.exists()


def test_a_failing_import_is_exit_1(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project(pip=(WHEEL_NAME, BROKEN_NAME))
    result = run_cli("install", project.spec, "-p", tmp_path / "env", *project.mirror)
    assert result.exit_code == 1, result.output
    assert "installed, but verification failed" in result.stderr
    assert "import: hybrid_test_broken: RuntimeError: this module refuses" in result.stderr


def test_usage_errors(run_cli: RunCli, make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project(pip=())
    neither = run_cli("install", project.spec)
    assert neither.exit_code == 2 and "exactly one of --prefix" in neither.stderr
    both = run_cli("install", project.spec, "-p", tmp_path / "a", "-n", "b")
    assert both.exit_code == 2
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")
    refused = run_cli("install", project.spec, "-p", occupied, *project.mirror)
    assert refused.exit_code == 2 and "not a conda environment" in refused.stderr
    assert (occupied / "notes.txt").read_text() == "mine"
    variant = run_cli("install", project.spec, "-p", tmp_path / "v", "--variant", "cpu")
    assert variant.exit_code == 2 and "has default" in variant.stderr


def test_missing_spec(run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("install", "-p", tmp_path / "env")
    assert result.exit_code == 2, result.output
    assert "spec.yaml" in result.stderr


@pytest.mark.network
def test_pip_layer_from_the_real_index(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project(pip=("six",), default_index=True)
    prefix = tmp_path / "env"
    result = run_cli("install", project.spec, "-p", prefix, *project.mirror)
    assert result.exit_code == 0, result.output
    assert _run_in_env(prefix, "import six; print(six.__name__)") == "six"
