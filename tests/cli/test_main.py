"""The error boundary: each error exits with its class's code; anything unexpected is a bug
(exit 70, "this is a bug", no traceback without -v)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NoReturn

import pytest

from hybrid.doctor import DoctorReport, Finding
from hybrid.errors import ExitCode, HybridError, PipOverrideBug, StaleError
from tests.conftest import RunCli

BUG = "This is a bug in hybrid; run again with -v for the traceback and report it."


def _raises(exc: BaseException) -> object:
    def diagnose(*_: object, **__: object) -> NoReturn:
        raise exc

    return diagnose


@pytest.fixture
def prefix(tmp_path: Path) -> Path:
    """Any directory: `diagnose` is replaced, so doctor never looks inside."""
    return tmp_path


def test_an_unexpected_exception_is_a_bug_without_traceback(
    run_cli: RunCli, prefix: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hybrid.cli.doctor.diagnose", _raises(RuntimeError("boom")))
    result = run_cli("doctor", prefix)
    assert result.exit_code == 70 == int(ExitCode.INTERNAL)
    assert "internal error: RuntimeError: boom" in result.stderr
    assert BUG in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_an_unexpected_exception_with_json(
    run_cli: RunCli, prefix: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hybrid.cli.doctor.diagnose", _raises(RuntimeError("boom")))
    result = run_cli("doctor", prefix, "--json")
    assert result.exit_code == 70
    error = json.loads(result.stdout)["error"]
    assert (error["kind"], error["exit_code"], error["type"]) == ("internal", 70, "RuntimeError")
    assert error["message"] == "RuntimeError: boom"
    assert BUG in result.stderr
    assert "Traceback" not in result.output


def test_with_verbose_the_bug_shows_its_traceback(
    run_cli: RunCli, prefix: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hybrid.cli.doctor.diagnose", _raises(RuntimeError("boom")))
    result = run_cli("doctor", prefix, "-v")
    assert result.exit_code == 70
    assert "Traceback" in result.stderr


@pytest.mark.parametrize(
    ("exc", "code", "kind"),
    [
        (PipOverrideBug("the pip layer contains numpy"), 70, "internal"),
        (HybridError("an error without a category"), 70, "internal"),
        (StaleError("outputs are stale"), 4, "stale"),
    ],
    ids=["internal-error", "uncategorized", "stale"],
)
def test_a_hybrid_error_exits_with_its_class_code(
    run_cli: RunCli,
    prefix: Path,
    monkeypatch: pytest.MonkeyPatch,
    exc: HybridError,
    code: int,
    kind: str,
) -> None:
    monkeypatch.setattr("hybrid.cli.doctor.diagnose", _raises(exc))
    result = run_cli("doctor", prefix, "--json")
    assert result.exit_code == code
    error = json.loads(result.stdout)["error"]
    assert (error["kind"], error["exit_code"], error["message"]) == (kind, code, exc.message)
    assert (BUG in result.stderr) is (code == 70)
    assert "Traceback" not in result.output


def test_findings_exit_1_with_kind_findings(
    run_cli: RunCli, prefix: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finding = Finding(code="pip-check", subject="x", reason="broken", fix="reinstall x")
    report = DoctorReport(prefix=prefix, platform="linux-64", findings=(finding,), checked=())
    monkeypatch.setattr("hybrid.cli.doctor.diagnose", lambda *_, **__: report)
    result = run_cli("doctor", prefix)
    assert result.exit_code == 1 == int(ExitCode.FINDINGS)
    assert "internal error" not in result.output
