"""Direct references are pinned by the pip of hybrid's interpreter: a declared dependency."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from hybrid.errors import BackendError, ExitCode
from hybrid.pypi.directrefs import PIP_REQUIREMENT, check_pip

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_pyproject_declares_the_pip_directrefs_runs() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    declared = [Requirement(r) for r in project["dependencies"]]
    assert [str(r) for r in declared if r.name == "pip"] == [str(PIP_REQUIREMENT)]


def test_the_running_pip_meets_the_floor() -> None:
    check_pip()


@pytest.mark.parametrize("installed", ["21.3.1", "22.1.2"])
def test_an_old_pip_is_named_with_the_fix(installed: str) -> None:
    with pytest.raises(BackendError) as info:
        check_pip(installed)
    assert info.value.exit_code == ExitCode.BACKEND
    assert str(PIP_REQUIREMENT) in info.value.message
    assert f"has pip {installed}" in info.value.message
