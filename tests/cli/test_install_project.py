"""`project: .` — the lab's own package installed editable, last, with `--no-deps`, on the
local index and interpreter channel (no network: the project builds with an in-tree PEP 660
backend that needs nothing from an index). `pip check` afterwards tells a declared dependency
that neither layer installs."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import RunCli
from tests.install.conftest import (
    PY_SHORT,
    WHEEL_NAME,
    MakeProject,
    Project,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    make_project_fixture,  # noqa: F401
    posix_only,
)

pytestmark = posix_only

# A minimal PEP 517/660 backend: an editable wheel is a .pth file naming the project dir.
BACKEND = '''
import base64, hashlib, os, zipfile

NAME, VERSION, REQUIRES = "lab_project", "0.1.0", {requires!r}


def _metadata():
    lines = ["Metadata-Version: 2.1", "Name: lab-project", "Version: " + VERSION]
    return "\\n".join(lines + ["Requires-Dist: " + r for r in REQUIRES]) + "\\n"


def _wheel(directory, files):
    name = f"{{NAME}}-{{VERSION}}-py3-none-any.whl"
    info = f"{{NAME}}-{{VERSION}}.dist-info"
    files = dict(files)
    files[info + "/METADATA"] = _metadata()
    files[info + "/WHEEL"] = (
        "Wheel-Version: 1.0\\nGenerator: lab\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    )
    record = []
    for path, text in files.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{{path}},sha256={{digest}},{{len(data)}}")
    files[info + "/RECORD"] = "\\n".join(record + [info + "/RECORD,,"]) + "\\n"
    with zipfile.ZipFile(os.path.join(directory, name), "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return name


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    here = os.path.dirname(os.path.abspath(__file__))
    return _wheel(wheel_directory, {{"lab_project.pth": os.path.join(here, "src") + "\\n"}})


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return build_editable(wheel_directory)
'''
PYPROJECT = """\
[build-system]
requires = []
build-backend = "backend"
backend-path = ["."]

[project]
name = "lab-project"
version = "0.1.0"
dependencies = {requires}
"""


def _lab_project(directory: Path, requires: list[str]) -> None:
    (directory / "backend.py").write_text(BACKEND.format(requires=requires), encoding="utf-8")
    (directory / "pyproject.toml").write_text(
        PYPROJECT.format(requires=str(requires).replace("'", '"')), encoding="utf-8"
    )
    package = directory / "src" / "lab_project"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('WHERE = "editable"\n', encoding="utf-8")


def _project(
    make_project: MakeProject, tmp_path: Path, requires: list[str], folder: str
) -> tuple[Project, Path]:
    lab = tmp_path / f"{folder}-lab"
    lab.mkdir()
    _lab_project(lab, requires)
    return make_project(folder=folder, extra=f"project: {lab}\n"), lab


def test_the_project_is_installed_editable_last(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project, lab = _project(make_project, tmp_path, [WHEEL_NAME], "fits")
    prefix = tmp_path / "env"
    result = run_cli("install", project.spec, "--prefix", prefix, *project.mirror)
    assert result.exit_code == 0, result.output
    assert f"project: {lab} (editable, --no-deps, with uv)" in result.stdout
    assert "0 problem(s)" in result.stdout
    site = prefix / "lib" / f"python{PY_SHORT}" / "site-packages"
    assert (site / "lab_project.pth").read_text().strip() == str(lab / "src")
    done = subprocess.run([str(prefix / "bin" / "python"), "-I", "-c",
                           "import lab_project; print(lab_project.__file__)"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(lab / "src" / "lab_project" / "__init__.py")
    # editing the project needs no reinstall: the environment reads the directory
    (lab / "src" / "lab_project" / "__init__.py").write_text('WHERE = "edited"\n')
    done = subprocess.run([str(prefix / "bin" / "python"), "-I", "-c",
                           "import lab_project; print(lab_project.WHERE)"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "edited"
    # doctor: the editable project is no finding, not even against the lock
    result = run_cli("doctor", prefix, "--lock", project.directory)
    assert result.exit_code == 0, result.output


def test_a_declared_dependency_neither_layer_installs(
    run_cli: RunCli, make_project: MakeProject, tmp_path: Path
) -> None:
    project, _ = _project(make_project, tmp_path, [WHEEL_NAME, "absent-package >=1"], "missing")
    result = run_cli("install", project.spec, "--prefix", tmp_path / "env", *project.mirror)
    assert result.exit_code == 1, result.output
    assert "pip-check: pip: lab-project 0.1.0 requires absent-package, which is not installed" \
        in result.output
    result = run_cli("doctor", tmp_path / "env")
    assert result.exit_code == 1
    assert "lab-project 0.1.0 requires absent-package" in result.output


def test_project_must_be_a_project_directory(run_cli: RunCli, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nname: x\nproject: ./nowhere\n", encoding="utf-8")
    result = run_cli("validate", spec)
    assert result.exit_code == 2
    assert "spec.yaml:3:10: project: `./nowhere` is not a project directory" in result.output
