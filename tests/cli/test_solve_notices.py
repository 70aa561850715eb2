"""`hybrid solve` says what it adds to the conda layer for the pip layer (`pip`)."""

from __future__ import annotations

import json

from tests.conftest import RunCli
from tests.install.conftest import (
    SUBDIR,
    MakeProject,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    make_project_fixture,  # noqa: F401
    needs_pip,
    posix_only,
)

pytestmark = [posix_only, needs_pip]

NOTICE = "the spec has pip deps but no pip: hybrid adds `pip` to conda"


def test_pip_added_to_the_conda_layer_is_told(
    run_cli: RunCli, make_project: MakeProject
) -> None:
    project = make_project()
    result = run_cli("solve", project.spec, *project.mirror)
    assert result.exit_code == 0, result.output
    assert f"notice: {NOTICE}" in result.stderr
    assert "pip-" in (project.directory / f"conda-{SUBDIR}.lock").read_text()
    as_json = run_cli("solve", project.spec, *project.mirror, "--json")
    assert NOTICE in json.loads(as_json.stdout)["notices"]


def test_no_notice_when_the_spec_names_pip(run_cli: RunCli, make_project: MakeProject) -> None:
    project = make_project()
    text = project.spec.read_text().replace(
        "  - hybrid-test-conda-hello\n", "  - hybrid-test-conda-hello\n  - pip\n"
    )
    project.spec.write_text(text)
    result = run_cli("solve", project.spec, *project.mirror)
    assert result.exit_code == 0, result.output
    assert "adds `pip`" not in result.stderr


def test_no_notice_without_a_pip_layer(run_cli: RunCli, make_project: MakeProject) -> None:
    project = make_project(pip=())
    result = run_cli("solve", project.spec, *project.mirror)
    assert result.exit_code == 0, result.output
    assert "adds `pip`" not in result.stderr

