"""The real `hybrid` process exits with its documented code, never a crash at shutdown.

rattler's native threads crashed the interpreter at exit (134/139, about one run in seven)
when an unsatisfiable solve left rattler objects to be freed during shutdown. In-process CLI
tests cannot see that, so these run the console script.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

RUNS = 8


@pytest.mark.snapshot
def test_unsatisfiable_solve_exits_3_every_time(write_spec, shared_channels: Path) -> None:  # type: ignore[no-untyped-def]
    spec = write_spec(
        "version: 1\nname: u\nchannels: [conda-forge]\n"
        "platforms: [linux-64, osx-64, osx-arm64, win-64]\nconda:\n  - numpy <1\n"
    )
    command = [
        str(Path(sys.executable).with_name("hybrid")),
        "solve",
        str(spec),
        "--mirror",
        f"conda-forge={shared_channels / 'conda-forge'}",
    ]
    codes = [
        subprocess.run(command, capture_output=True, check=False).returncode for _ in range(RUNS)
    ]
    assert codes == [3] * RUNS
