"""Fixtures for the pip-layer tests: a local git repository and hand-made wheels."""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def git_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A local git repository holding a tiny package, tagged v0.1.0; (path, commit)."""
    repo = tmp_path_factory.mktemp("tinypkg-repo")
    (repo / "src" / "tinypkg").mkdir(parents=True)
    (repo / "src" / "tinypkg" / "__init__.py").write_text("VALUE = 1\n")
    (repo / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "tinypkg"\nversion = "0.1.0"\ndependencies = ["six"]\n'
    )
    git = ["git", "-c", "user.name=hybrid", "-c", "user.email=hybrid@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "tinypkg 0.1.0"], cwd=repo, check=True)
    subprocess.run([*git, "tag", "v0.1.0"], cwd=repo, check=True)
    (repo / "src" / "tinypkg" / "__init__.py").write_text("VALUE = 2\n")
    subprocess.run([*git, "commit", "-qam", "after the tag"], cwd=repo, check=True)
    tagged = subprocess.run([*git, "rev-parse", "v0.1.0^{commit}"], cwd=repo, check=True,
                            capture_output=True, text=True).stdout.strip()
    return repo, tagged


def _make_wheel(directory: Path, name: str, version: str, requires: list[str]) -> Path:
    """A tiny pure-Python wheel, written by hand."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": b"",
        f"{dist_info}/METADATA": "\n".join(
            ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
             *(f"Requires-Dist: {r}" for r in requires), ""]
        ).encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [*files, f"{dist_info}/RECORD"]
    files[f"{dist_info}/RECORD"] = "".join(f"{path},,\n" for path in record).encode()
    path = directory / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(zipfile.ZipInfo(member, (1980, 1, 1, 0, 0, 0)), data)
    return path


@pytest.fixture
def make_wheel() -> Callable[..., Path]:
    """``make_wheel(directory, name, version, requires)`` writes a tiny pure wheel."""
    return _make_wheel
