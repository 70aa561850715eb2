"""The release: distribution `hybrid-env` (command and package `hybrid`), `make dist`, and a
wheel that holds every data file hybrid opens (schema, mapping data, recipes, templates)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from hybrid import DISTRIBUTION, __version__
from tests.conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
PACKAGE = REPO / "src" / "hybrid"


def test_the_distribution_is_hybrid_env_and_the_command_hybrid() -> None:
    project = PYPROJECT["project"]
    assert project["name"] == DISTRIBUTION == "hybrid-env"
    assert project["scripts"] == {"hybrid": "hybrid.cli.entry:main"}
    assert {"build", "twine"} <= {re.split(r"[<>=!~ ;\[]", r)[0]
                                  for r in project["optional-dependencies"]["dist"]}


@pytest.mark.skipif(shutil.which("make") is None, reason="no `make` on this machine")
def test_make_dist_builds_both_and_checks_them_with_twine() -> None:
    done = subprocess.run(["make", "-n", "-B", "dist"], cwd=REPO, capture_output=True,
                          text=True, check=True)
    steps = done.stdout.splitlines()
    assert "pip install --quiet -e '.[dist]'" in done.stdout
    build = next(i for i, line in enumerate(steps) if "-m build --outdir dist ." in line)
    check = next(i for i, line in enumerate(steps) if "twine check --strict dist/*" in line)
    assert build < check


def test_the_changelog_begins_with_the_running_version() -> None:
    """The running version is the changelog's first: dated once uploaded, `Unreleased` until
    then (a version built by `make dist` never holds changes listed under another heading)."""
    text = (REPO / "CHANGELOG.md").read_text("utf-8")
    headings = re.findall(r"^## \[([^\]]+)\] - (\S+)", text, re.MULTILINE)
    assert headings[0][0] == __version__
    assert headings[0][1] == "Unreleased" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", headings[0][1])


def _package_data() -> set[str]:
    """Every file under src/hybrid that is not Python source or a cache: what hybrid opens
    with importlib.resources (the schema, cuda_wheels.txt, recipes, init templates)."""
    return {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }


def test_the_package_data_is_what_hybrid_opens() -> None:
    data = _package_data()
    for expected in ("hybrid/schemas/spec-v1.schema.json", "hybrid/mapping/cuda_wheels.txt",
                     "hybrid/init/templates/pre-commit-config.yaml.in",
                     "hybrid/recipes/data/base/spec.yaml", "hybrid/py.typed"):
        assert expected in data


@pytest.mark.network
def test_the_wheel_holds_every_data_file_and_passes_twine(tmp_path: Path) -> None:
    """`python -m build --wheel` (hatchling fetched from PyPI: about 6 s)."""
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path),
                           str(REPO)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    [wheel] = tmp_path.glob("*.whl")
    assert wheel.name == f"hybrid_env-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"hybrid_env-{__version__}.dist-info"
        metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert _package_data() - names == set()
    assert (metadata["Name"], metadata["Version"]) == (DISTRIBUTION, __version__)
    assert "hybrid = hybrid.cli.entry:main" in entry_points
    twine = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel)],
                           capture_output=True, text=True, check=False)
    if "No module named twine" in twine.stderr:
        pytest.skip("twine is not installed (the dist extra)")
    assert twine.returncode == 0, twine.stdout + twine.stderr
