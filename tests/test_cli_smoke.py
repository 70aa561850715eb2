"""The CLI's basic contract: version, help, exit codes for bad usage."""

from __future__ import annotations

from hybrid import __version__
from tests.conftest import RunCli


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_unknown_command_is_usage_error(run_cli: RunCli) -> None:
    result = run_cli("frobnicate")
    assert result.exit_code == 2
    assert "No such command" in result.stderr
