"""Issue acceptance: no second CUDA runtime and no ABI-coupled PyPI build next to conda's
GPU packages (real snapshot for conda, real mapping, real PyPI for the pip layer). With
`promote: auto` (the default) such packages move to the conda layer; with `promote: off`
the guards refuse them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CliResult, RunCli, WriteSpec


def _solve(run_cli: RunCli, spec: Path, channels: Path, mapping: Path, *extra: str) -> CliResult:
    return run_cli("solve", spec, "--mirror", f"conda-forge={channels / 'conda-forge'}",
                   "--pypi-mapping", mapping, *extra)


def _pip_outputs(directory: Path) -> dict[str, str]:
    """The pip layer as every output writes it: requirements.txt, environment.yml's `pip:`
    list and conda-lock.yml's pip entries."""
    environment = (directory / "environment.yml").read_text(encoding="utf-8")
    lock = (directory / "conda-lock.yml").read_text(encoding="utf-8")
    return {
        "requirements.txt": (directory / "requirements.txt").read_text(encoding="utf-8"),
        "environment.yml": environment.partition("  - pip:\n")[2],
        "conda-lock.yml": "\n".join(
            block for block in lock.split("\n- ") if "manager: pip" in block
        ),
    }


TIMM = (
    "version: 1\nname: t\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
    'python: "3.11"\ncuda: ["12.6"]\nconda:\n  - pytorch\npip:\n  - timm\n{more}'
)


@pytest.mark.snapshot
@pytest.mark.network
def test_pypi_torchvision_next_to_conda_pytorch_moves_to_a_conda_cuda_build(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    spec = write_spec(TIMM.format(more=""))
    result = _solve(run_cli, spec, shared_channels, shared_mapping, "--json")
    assert result.exit_code == 0, result.output
    lock = (spec.parent / "conda-linux-64.lock").read_text(encoding="utf-8")
    builds = [line for line in lock.splitlines() if "/torchvision-" in line]
    assert len(builds) == 1 and "cuda" in builds[0].rsplit("/", 1)[1], builds
    for name, text in _pip_outputs(spec.parent).items():
        assert "timm" in text, name
        for pypi in ("torchvision", "torchaudio", "torch==", "nvidia-"):
            assert pypi not in text, (name, pypi)
    environment = (spec.parent / "environment.yml").read_text(encoding="utf-8")
    assert "  - torchvision * *cuda*\n" in environment
    report = json.loads(result.stdout)
    assert report["promotions"] == {"cuda-12.6": [{
        "pypi_name": "torchvision", "conda_spec": "torchvision", "reason": "abi",
        "coupled_to": "pytorch", "platforms": ["linux-64"],
    }]}
    # The snapshot's only torchvision CUDA build for Python 3.11 is for pytorch 2.1: said.
    assert ("moving torchvision to the conda layer changed pytorch 2.5.1 -> 2.1.2 on "
            "linux-64 (cuda-12.6)") in report["notices"]


@pytest.mark.snapshot
@pytest.mark.network
def test_promote_off_refuses_pypi_torchvision_next_to_conda_pytorch(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    spec = write_spec(TIMM.format(more="promote: off\n"))
    result = _solve(run_cli, spec, shared_channels, shared_mapping)
    assert result.exit_code == 3, result.output
    assert "torchvision" in result.stderr and "conda's pytorch" in result.stderr
    assert not (spec.parent / "requirements.txt").exists()


JAX = (
    "version: 1\nname: j\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
    'python: "3.11"\nconda:\n  - cuda-version 12.6.*\n  - libcublas\n  - cudnn\n'
    "pip:\n  - jax[cuda12]\n{more}"
)
# The snapshot has no libnvshmem3 (jax's CUDA plugin needs nvidia-nvshmem-cu12 from 0.6.1 on):
# on this day PyPI's jax still fits what the snapshot's conda-forge has.
JAX_DAY = "snapshot: 2025-03-01\n"


@pytest.mark.snapshot
@pytest.mark.network
def test_jax_cuda12_never_brings_nvidia_wheels_next_to_conda_cuda(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    spec = write_spec(JAX.format(more=JAX_DAY))
    result = _solve(run_cli, spec, shared_channels, shared_mapping)
    assert result.exit_code == 0, result.output
    for name, text in _pip_outputs(spec.parent).items():
        assert "jax-cuda12-plugin" in text, name
        assert "nvidia-" not in text, name
    lock = (spec.parent / "conda-linux-64.lock").read_text(encoding="utf-8")
    for conda in ("libcufft", "libcusolver", "libcusparse", "nccl", "cuda-cudart", "libcublas"):
        assert f"/{conda}-" in lock, conda
    assert "moved to conda: nvidia-cufft-cu12 -> conda `libcufft >=" in result.stdout


@pytest.mark.snapshot
@pytest.mark.network
def test_promote_off_refuses_a_second_cuda_runtime_naming_wheel_and_needer(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    spec = write_spec(JAX.format(more=JAX_DAY + "promote: off\n"))
    result = _solve(run_cli, spec, shared_channels, shared_mapping)
    assert result.exit_code == 3, result.output
    err = result.stderr
    assert "second CUDA runtime" in err and "libcublas 12.6" in err
    assert "nvidia-cufft-cu12 11." in err and "(needed by jax, jaxlib)" in err
    # What conda has is stubbed, so never named as a second copy.
    assert "nvidia-cublas-cu12" not in err and "nvidia-cudnn-cu12" not in err
    assert not (spec.parent / "requirements.txt").exists()


@pytest.mark.snapshot
@pytest.mark.network
def test_jax_cuda12_needing_what_conda_lacks_exits_3_naming_it(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path, shared_mapping: Path
) -> None:
    spec = write_spec(JAX.format(more="snapshot: 2025-06-01\n"))
    result = _solve(run_cli, spec, shared_channels, shared_mapping)
    assert result.exit_code == 3, result.output
    assert "nvidia-nvshmem-cu12 -> conda `libnvshmem3 >=" in result.stderr
    assert "add a conda channel that has libnvshmem3" in result.stderr
    assert not (spec.parent / "requirements.txt").exists()
