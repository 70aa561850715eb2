"""Shared fixtures: run the real CLI in-process, the real shared data, the demo channel."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
from hypothesis import settings

from hybrid.cli.main import main
from hybrid.devtools.demo_channel import build_demo_channel

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HYBRID_SHARED_DIR", REPO.parent / "shared"))
SHARED_CHANNELS = SHARED / "channels"
SHARED_MAPPING = SHARED / "mapping" / "conda-forge.compressed_mapping.json"

# Hypothesis: 100 examples per property and no deadline (a 2-core CI machine is slow, and a
# deadline miss is a flaky failure, not a bug); `pytest --hypothesis-profile deep` searches
# 20 times longer. Tests set only what they need beyond this (suppressed health checks).
settings.register_profile("hybrid", max_examples=100, deadline=None)
settings.register_profile("deep", settings.get_profile("hybrid"), max_examples=2000)
settings.load_profile("hybrid")


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


RunCli = Callable[..., CliResult]


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The session's private cache (repodata is read once per session, not from the user's
    cache), set before any fixture of any scope solves; tables are 200 columns wide."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HYBRID_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "hybrid-cache"))
        patch.setenv("COLUMNS", "200")
        yield


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


class WriteSpec(Protocol):
    def __call__(self, text: str, name: str = "spec.yaml") -> Path: ...


@pytest.fixture
def write_spec(tmp_path: Path) -> WriteSpec:
    """Write a spec.yaml (text as given) into a fresh directory and return its path."""

    def write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


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
