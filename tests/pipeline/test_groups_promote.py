"""A dependency group's pip layer under `promote:` and the layer guards, end to end on the
local channel and index of `test_promote`: what the group's pip entries bring that must come
from conda moves into the group's conda layer (the base still locked); the guards judge the
base's pip pins and the group's against the group's conda layer, and their errors name the
group, its entries (file:line) and where the fix goes."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import CliResult, RunCli, WriteSpec
from tests.pipeline import test_promote
from tests.pipeline.test_promote import Index, _solve

# the local channel and index, registered here too
index = test_promote.index
lab_channel = test_promote.lab_channel


def _spec(
    write_spec: WriteSpec, index: Index, conda: list[str], pip: list[str], *,
    group_conda: Sequence[str] = (), group_pip: Sequence[str] = (), promote: str = "",
) -> Path:  # fmt: skip
    lines = [
        "version: 1", "name: lab", "channels: [lab, hybrid-demo]", "platforms: [linux-64]",
        'python: "3.11"', f"conda: [{', '.join(conda)}]", f"pip: [{', '.join(pip)}]",
        "pip-index:", f"  index-url: {index.url}", f"  find-links: [{index.wheels}]",
        "groups:", "  dev:",
        f"    conda: [{', '.join(group_conda)}]", f"    pip: [{', '.join(group_pip)}]",
    ]  # fmt: skip
    if promote:
        lines.append(f"promote: {promote}")
    return write_spec("\n".join(lines) + "\n")


def _run(
    run_cli: RunCli, spec: Path, lab: Path, demo: Path, *extra: str
) -> tuple[CliResult, dict[str, dict[str, str]]]:
    """The solve and, when it succeeded, what the group adds on linux-64 (`--json`)."""
    result = _solve(run_cli, spec, lab, demo, "--json", *extra)
    if result.exit_code != 0:
        return result, {}
    added = json.loads(result.stdout)["groups"]["default"]["dev"]["linux-64"]
    return result, {"conda": added["conda"], "pip": added["pip"]}


def _base_pins(spec: Path) -> list[str]:
    text = (spec.parent / "requirements.txt").read_text(encoding="utf-8")
    return [line.split("==")[0] for line in text.splitlines() if "==" in line]


def _error(result: CliResult) -> str:
    return " ".join(result.stderr.split())  # the console wraps long lines


def _line_of(spec: Path, text: str) -> int:
    lines = spec.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize("solver", ["rattler", "libmamba"])
def test_a_coupled_group_wheel_moves_into_the_group_conda_layer(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path, solver: str,
) -> None:
    if solver == "libmamba":
        pytest.importorskip("libmambapy")
    spec = _spec(write_spec, index, ["pytorch 2.5.*"], ["labdata"],
                 group_pip=["torchvision>=0.20"])  # fmt: skip
    result, added = _run(run_cli, spec, lab_channel, demo_channel, "--solver", solver)
    assert result.exit_code == 0, result.output
    assert added == {"conda": {"torchvision": "0.20.1"}, "pip": {}}
    assert _base_pins(spec) == ["labdata"]  # the base is as solved without the group


def test_a_listed_group_entry_moves_instead_of_staying_in_pip(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["pytorch"], ["labdata"], group_pip=["labtqdm"],
                 promote="[labtqdm]")  # fmt: skip
    result, added = _run(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 0, result.output
    assert added == {"conda": {"labtqdm": "4.66.0"}, "pip": {}}


def test_a_group_cuda_wheel_becomes_the_conda_library(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["cuda-version 12.6.*", "cuda-cudart"], ["labdata"],
                 group_pip=["gpukit"])  # fmt: skip
    result, added = _run(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 0, result.output
    assert added == {"conda": {"libcufft": "11.3.0.4"}, "pip": {"gpukit": "1.0"}}


def test_a_move_the_locked_base_cannot_take_exits_3_at_the_group_entry(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    """conda builds torchvision for pytorch 2.5 only; the base locked pytorch 2.6."""
    spec = _spec(write_spec, index, ["pytorch"], ["labdata"], group_pip=["torchvision>=0.20"])
    result, _ = _run(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    error = json.loads(result.stdout)["error"]
    assert error["message"].startswith("group `dev`: the pip layer for linux-64 needs packages")
    line = _line_of(spec, "torchvision")
    assert f"spec.yaml:{line}:" in error["message"]
    assert "groups.dev.pip[0] `torchvision>=0.20`" in error["message"]
    assert "pin a pytorch version conda builds torchvision for" in error["hint"]


def test_promote_off_refuses_and_points_at_the_group_conda_entries(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["pytorch 2.5.*"], ["labdata"],
                 group_pip=["torchvision>=0.20"], promote="off")  # fmt: skip
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    error = _error(result)
    assert "group `dev`: the pip layer for linux-64 would install PyPI builds coupled" in error
    assert "groups.dev.pip[0] `torchvision>=0.20`" in error
    assert "add torchvision to the group's `groups.dev.conda` entries" in error
    assert "the spec's `conda:`" not in error


def test_group_cuda_beside_the_base_nvidia_wheel_exits_3(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    """The same as in the base (exit 3), not two CUDA runtimes in the dev environment."""
    spec = _spec(write_spec, index, ["labdata"], ["gpukit"],
                 group_conda=["cuda-version 12.6.*", "cuda-cudart"])  # fmt: skip
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    error = _error(result)
    assert re.search(
        r"group `dev`: the pip layer for linux-64 would install a second CUDA runtime next "
        r"to the conda layer's \(cuda-cudart 12\.6\.77\): nvidia-cufft-cu12 11\.3\.0\.4 "
        r"\(needed by gpukit\)", error
    )
    assert "groups.dev.conda[1] `cuda-cudart`" in error
    assert "add libcufft (for nvidia-cufft-cu12) to the base's `conda:` entries" in error
    assert not (spec.parent / "requirements-dev.txt").exists()


def test_group_conda_installing_a_base_pin_names_the_conda_record(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["labdata"], ["gpukit"],
                 group_conda=["cuda-version 12.6.*", "libcufft"])  # fmt: skip
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    error = _error(result)
    assert "nvidia-cufft-cu12 (with conda libcufft)" in error
    assert (
        "hint: add libcufft to the base's `conda:` entries, so the base's pip layer takes "
        "nvidia-cufft-cu12 from conda too"
    ) in error


@pytest.mark.parametrize("promote", ["auto", "off"])
def test_group_pip_beside_base_cuda_is_judged_with_the_base_pins(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path, promote: str,
) -> None:
    """The base's pip pins and the group's are judged together: the group's CUDA wheel is
    moved (auto) or refused (off), never locked beside conda's runtime."""
    spec = _spec(write_spec, index, ["cuda-version 12.6.*", "cuda-cudart"], ["labdata"],
                 group_pip=["randkit"], promote=promote)  # fmt: skip
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    error = _error(result)
    assert error.startswith("error: group `dev`:")
    assert "nvidia-curand-cu12" in error
    assert "groups.dev.pip[0] `randkit`" in error
