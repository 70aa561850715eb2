"""One real solve shared by the export tests: the demo channel (a `file://` channel, so the
repodata records and their licences are at hand) for linux-64 and osx-arm64, `numpy` in
the conda layer and a tiny wheel from a package index on localhost in the pip layer."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import main_in_process
from tests.install.conftest import BROKEN_NAME, WHEEL_NAME, local_index_fixture  # noqa: F401

SPEC = """\
version: 1
name: export-test
channels: [{channel}]
platforms: [linux-64, osx-arm64]
python: "3.11"
conda:
  - numpy
pip:
  - {wheel}
pip-index: {{index-url: "{index}"}}
"""

CopyProject = Callable[[], Path]


@pytest.fixture(scope="session")
def solved_project(
    tmp_path_factory: pytest.TempPathFactory, demo_channel: Path, local_index: str
) -> Path:
    """The solved project directory (spec.yaml and its locks); never written to by tests."""
    directory = tmp_path_factory.mktemp("export-project")
    spec = directory / "spec.yaml"
    spec.write_text(SPEC.format(channel=demo_channel.as_uri(), wheel=WHEEL_NAME,
                                index=local_index), encoding="utf-8")
    solved = main_in_process("solve", spec)
    assert solved.exit_code == 0, solved.output
    return directory


@pytest.fixture
def project(solved_project: Path, tmp_path: Path) -> Path:
    """A private copy of the solved project: its spec path."""
    copy = tmp_path / "project"
    shutil.copytree(solved_project, copy)
    return copy / "spec.yaml"


GROUPS_SPEC = SPEC + """\
groups:
  dev:
    conda: [hybrid-demo-hello]
    pip: [{broken}]
"""


@pytest.fixture(scope="session")
def solved_groups_project(
    tmp_path_factory: pytest.TempPathFactory, demo_channel: Path, local_index: str
) -> Path:
    """Like `solved_project`, with a group `dev` adding `hybrid-demo-hello` (conda) and a
    wheel (pip)."""
    directory = tmp_path_factory.mktemp("export-groups")
    spec = directory / "spec.yaml"
    spec.write_text(GROUPS_SPEC.format(channel=demo_channel.as_uri(), wheel=WHEEL_NAME,
                                       index=local_index, broken=BROKEN_NAME), encoding="utf-8")
    solved = main_in_process("solve", spec)
    assert solved.exit_code == 0, solved.output
    return directory


@pytest.fixture
def groups_project(solved_groups_project: Path, tmp_path: Path) -> Path:
    """A private copy of the solved project with a group: its spec path."""
    copy = tmp_path / "groups"
    shutil.copytree(solved_groups_project, copy)
    return copy / "spec.yaml"
