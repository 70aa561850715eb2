"""The pipeline tells its progress: events in order, for real solves (a recording sink)."""

from __future__ import annotations

from pathlib import Path

from hybrid.cache import cache_dir
from hybrid.pipeline.context import RunContext
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.progress import ProgressEvent
from hybrid.pipeline.run import lock
from hybrid.spec import load_spec
from hybrid.spec.channels import parse_mirrors
from tests.install.conftest import (
    CHANNEL_NAME,
    WHEEL_NAME,
    interpreter_channel_fixture,  # noqa: F401  (the fixtures, registered here too)
    local_index_fixture,  # noqa: F401
    needs_pip,
    posix_only,
    spec_text,
)

CONDA_ONLY = """\
version: 1
name: progress
channels: [hybrid-demo]
platforms: [linux-64, osx-arm64, win-64]
python: "3.11"
conda:
  - numpy
"""


class Recorder:
    """A progress sink keeping every event."""

    def __init__(self) -> None:
        self.events: list[ProgressEvent] = []

    def __call__(self, event: ProgressEvent, /) -> None:
        self.events.append(event)

    def steps(self) -> list[tuple[str, str, str | None]]:
        return [(e.kind, e.phase, e.platform) for e in self.events]


def _options(channel: str, path: Path) -> SolveOptions:
    return SolveOptions(cache_dir=cache_dir(), mirrors=parse_mirrors((f"{channel}={path}",),
                                                                     base_dir=Path.cwd()))


def test_conda_solves_then_verification_in_order(tmp_path: Path, demo_channel: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(CONDA_ONLY, encoding="utf-8")
    recorder = Recorder()
    result = lock(load_spec(spec), _options("hybrid-demo", demo_channel),
                  context=RunContext(progress=recorder))
    assert [v.variant.name for v in result.variants] == ["default"]
    steps = recorder.steps()
    platforms = {"linux-64", "osx-arm64", "win-64"}
    # every solve is announced before any finishes (they run concurrently), each finishes once
    assert {p for k, ph, p in steps[:3] if (k, ph) == ("conda", "start")} == platforms
    assert {p for k, ph, p in steps[3:6] if (k, ph) == ("conda", "done")} == platforms
    assert steps[6:] == [("verify", "start", None), ("verify", "done", None)]
    assert all(e.variant == "default" and e.spec is None for e in recorder.events)


@posix_only
@needs_pip
def test_the_pip_layer_is_compiled_between_conda_and_verification(
    tmp_path: Path, interpreter_channel: Path, local_index: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text(pip=(WHEEL_NAME,), index=local_index), encoding="utf-8")
    recorder = Recorder()
    result = lock(load_spec(spec), _options(CHANNEL_NAME, interpreter_channel),
                  context=RunContext(progress=recorder))
    assert result.variants[0].pip
    assert [(k, ph) for k, ph, _ in recorder.steps()] == [
        ("conda", "start"), ("conda", "done"),
        ("pip", "start"), ("pip", "done"),
        ("verify", "start"), ("verify", "done"),
    ]  # fmt: skip
