"""Shared fixtures: run the real CLI in-process, the real shared data, the demo channel."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hybrid.cli.main import main
from hybrid.devtools.demo_channel import build_demo_channel

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HYBRID_SHARED_DIR", REPO.parent / "shared"))
SHARED_CHANNELS = SHARED / "channels"
SHARED_MAPPING = SHARED / "mapping" / "conda-forge.compressed_mapping.json"


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


RunCli = Callable[..., CliResult]


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test uses a private cache, shared within the session (repodata is re-read)."""
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "hybrid-cache"))
    monkeypatch.setenv("COLUMNS", "200")


def main_in_process(*args: str | os.PathLike[str]) -> CliResult:
    """Run `hybrid ARGS…` in-process through the real error boundary."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return CliResult(exit_code=code, stdout=out.getvalue(), stderr=err.getvalue())


@pytest.fixture
def run_cli() -> RunCli:
    """Run `hybrid ARGS…` in-process through the real error boundary."""
    return main_in_process


@pytest.fixture(scope="session")
def shared_channels() -> Path:
    """The snapshot of real conda-forge / pytorch / nvidia records in ../shared/channels."""
    if not (SHARED_CHANNELS / "conda-forge" / "linux-64" / "repodata.json").is_file():
        pytest.skip(f"the real channel snapshot is absent ({SHARED_CHANNELS})")
    return SHARED_CHANNELS


@pytest.fixture(scope="session")
def shared_mapping() -> Path:
    if not SHARED_MAPPING.is_file():
        pytest.skip(f"the conda->PyPI mapping snapshot is absent ({SHARED_MAPPING})")
    return SHARED_MAPPING


@pytest.fixture(scope="session")
def demo_channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quickstart demo channel, built once per session."""
    return build_demo_channel(tmp_path_factory.mktemp("demo-channel"))


@pytest.fixture
def write_spec(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Write a spec.yaml (text as given) into a fresh directory and return its path."""

    def write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    yield write


WriteInput = Callable[..., Path]


@pytest.fixture
def write_input(tmp_path: Path) -> WriteInput:
    """Write `content` to `tmp_path/name` byte for byte (no newline translation)."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write
