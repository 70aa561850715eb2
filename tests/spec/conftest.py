"""`check_spec`: write a spec, run `hybrid validate` on it, and read the problems as a user does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import RunCli


@dataclass(frozen=True)
class Checked:
    """The outcome of `hybrid validate` on one file."""

    path: Path
    exit_code: int
    stdout: str
    stderr: str

    @property
    def problems(self) -> list[str]:
        """Each problem without the file name: `3:9: python: …` (`: no such file` for a file)."""
        prefix = f"  {self.path}"
        rests = [
            line[len(prefix) :] for line in self.stderr.splitlines() if line.startswith(prefix)
        ]
        return [rest[1:] if rest[1:2].isdigit() else rest for rest in rests]

    def has(self, position: str, *fragments: str) -> bool:
        """Is there a problem at `position` (`"3:9"`) whose message holds every fragment?"""
        return any(
            p.startswith(f"{position}: ") and all(f in p for f in fragments) for p in self.problems
        )


CheckSpec = Callable[[str | bytes], Checked]


@pytest.fixture
def check_spec(run_cli: RunCli, tmp_path: Path) -> CheckSpec:
    """Write `content` (text as given, no newline translation, or raw bytes) and validate it."""

    def check(content: str | bytes) -> Checked:
        path = tmp_path / "spec.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        result = run_cli("validate", path)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 2), result.output
        return Checked(path, result.exit_code, result.stdout, result.stderr)

    return check
