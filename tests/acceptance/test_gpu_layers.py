"""Issue acceptance: no second CUDA runtime and no ABI-coupled PyPI build next to conda's
GPU packages (real snapshot for conda, real PyPI for the pip layer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli, WriteSpec


@pytest.mark.snapshot
@pytest.mark.network
def test_pypi_torchvision_next_to_conda_pytorch_is_refused(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path
) -> None:
    mirror = f"conda-forge={shared_channels / 'conda-forge'}"
    text = (
        "version: 1\nname: t\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
        'python: "3.11"\ncuda: ["12.6"]\nconda:\n  - pytorch\n{more}pip:\n  - timm\n'
    )
    spec = write_spec(text.format(more=""))
    result = run_cli("solve", spec, "--mirror", mirror)
    assert result.exit_code == 3, result.output
    assert "torchvision" in result.stderr and "conda's pytorch" in result.stderr
    # The way out it names works: conda solves a torchvision built for its pytorch.
    spec = write_spec(text.format(more="  - torchvision\n"))
    result = run_cli("solve", spec, "--mirror", mirror)
    assert result.exit_code == 0, result.output
    lock = (spec.parent / "conda-linux-64.lock").read_text(encoding="utf-8")
    assert "/torchvision-" in lock
    pins = (spec.parent / "requirements.txt").read_text(encoding="utf-8")
    assert "timm==" in pins and "torchvision" not in pins and "nvidia-" not in pins


@pytest.mark.snapshot
@pytest.mark.network
def test_jax_cuda12_never_brings_nvidia_wheels_conda_has(
    run_cli: RunCli, write_spec: WriteSpec, shared_channels: Path
) -> None:
    spec = write_spec(
        "version: 1\nname: j\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
        'python: "3.11"\nconda:\n  - cuda-version 12.6.*\n  - libcublas\n  - cudnn\n'
        "pip:\n  - jax[cuda12]\n"
    )
    result = run_cli("solve", spec, "--mirror", f"conda-forge={shared_channels / 'conda-forge'}")
    assert result.exit_code == 3, result.output
    err = result.stderr
    assert "second CUDA runtime" in err and "libcublas 12.6" in err
    assert "nvidia-cufft-cu12" in err and "(needed by jax-cuda12-plugin)" in err
    # What conda has is stubbed, so never named as a second copy.
    assert "nvidia-cublas-cu12" not in err and "nvidia-cudnn-cu12" not in err
    assert not (spec.parent / "requirements.txt").exists()
