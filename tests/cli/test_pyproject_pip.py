"""`pip: {from: pyproject.toml}` end to end on the local index: the pins come from the
project's dependencies, and `hybrid check` finds outputs stale when only pyproject.toml
changed (the spec file's bytes did not)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli
from tests.install.conftest import (
    BROKEN_NAME,
    CHANNEL_NAME,
    WHEEL_NAME,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    posix_only,
    spec_text,
)

pytestmark = posix_only


def test_pins_follow_the_pyproject_and_check_sees_it_change(
    run_cli: RunCli, interpreter_channel: Path, local_index: str, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    text = spec_text(pip=(), index=local_index, extra="pip: {from: pyproject.toml}\n")
    spec.write_text(text, encoding="utf-8")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        f'[project]\nname = "lab"\nversion = "0.1"\ndependencies = ["{WHEEL_NAME}"]\n'
        f'[project.optional-dependencies]\nextra = ["{BROKEN_NAME}"]\n',
        encoding="utf-8",
    )
    mirror = ("--mirror", f"{CHANNEL_NAME}={interpreter_channel}")
    result = run_cli("solve", spec, *mirror)
    assert result.exit_code == 0, result.output
    pins = (tmp_path / "requirements.txt").read_text()
    assert f"{WHEEL_NAME}==1.0.0" in pins and BROKEN_NAME not in pins
    assert run_cli("check", spec).exit_code == 0
    pyproject.write_text(pyproject.read_text().replace(f'["{WHEEL_NAME}"]', "[]"))
    result = run_cli("check", spec)
    assert result.exit_code == 4, result.output
    assert f"pip: `{WHEEL_NAME}` removed" in result.output
