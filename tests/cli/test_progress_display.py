"""The progress display: on a terminal's stderr it says what the solve is doing; when stderr
is not a terminal, or with --json, it says nothing. `HYBRID_PROGRESS_DELAY=0` shows it at
once (by default it waits a second, longer than these solves take)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import RunCli

pytestmark = pytest.mark.skipif(os.name == "nt", reason="pseudo-terminals are POSIX")

SPEC = """\
version: 1
name: shown
channels: [hybrid-demo]
platforms: [linux-64, osx-arm64]
python: "3.11"
conda:
  - numpy
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "project" / "spec.yaml"
    path.parent.mkdir()
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.fixture
def mirror(demo_channel: Path) -> tuple[str, str]:
    return ("--mirror", f"hybrid-demo={demo_channel}")


def _on_a_terminal(*args: str | Path) -> tuple[int, str, str]:
    """Run `hybrid ARGS…` with stderr on a pseudo-terminal and stdout in a file: exit code,
    what the terminal got, what stdout got."""
    primary, secondary = os.openpty()
    env = {**os.environ, "HYBRID_PROGRESS_DELAY": "0", "TERM": "xterm", "COLUMNS": "120"}
    with tempfile.TemporaryFile() as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "hybrid.cli.main", *map(str, args)],
            stdin=subprocess.DEVNULL, stdout=stdout, stderr=secondary, env=env,
        )  # fmt: skip
        os.close(secondary)
        received = _read_until_closed(primary)
        code = process.wait()
        stdout.seek(0)
        return code, received, stdout.read().decode()


def _read_until_closed(primary: int) -> str:
    received = bytearray()
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(primary)
    return received.decode("utf-8", errors="replace")


def test_a_terminal_sees_what_the_solve_does(spec: Path, mirror: tuple[str, str]) -> None:
    code, shown, _ = _on_a_terminal("solve", spec, *mirror)
    assert code == 0, shown
    # what is drawn in between depends on timing; the last state is drawn as the display ends
    assert "verifying the lock" in shown


def test_a_terminal_sees_each_spec_of_a_batch(
    spec: Path, mirror: tuple[str, str], tmp_path: Path
) -> None:
    second = tmp_path / "second" / "spec.yaml"
    second.parent.mkdir()
    second.write_text(SPEC.replace("name: shown", "name: second"), encoding="utf-8")
    code, shown, printed = _on_a_terminal("solve", "--all", tmp_path, *mirror)
    assert code == 0, shown
    assert "specs: 2/2 done" in shown
    # the reports stay on stdout (a file here), none is drawn through the display
    assert "solved 2 specs" in printed and f"wrote 4 files to {spec.parent}" in printed
    assert "wrote" not in shown


def test_nothing_with_json_on_a_terminal(spec: Path, mirror: tuple[str, str]) -> None:
    code, shown, printed = _on_a_terminal("solve", spec, *mirror, "--json")
    assert code == 0, shown
    assert shown.strip() == ""
    assert json.loads(printed)["platforms"]


def test_nothing_when_stderr_is_not_a_terminal(
    run_cli: RunCli, spec: Path, mirror: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HYBRID_PROGRESS_DELAY", "0")
    result = run_cli("solve", spec, *mirror)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
