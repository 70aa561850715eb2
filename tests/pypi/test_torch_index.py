"""The PyTorch wheel index a variant picks for PyTorch-family pip packages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from hybrid.pypi.model import PipTarget
from hybrid.pypi.resolver import CompileRequest, get_resolver
from hybrid.pypi.torch_index import index_url, torch_backend
from hybrid.spec.variants import Variant
from tests.conftest import RunCli, WriteSpec


@pytest.mark.parametrize(
    ("cuda", "platform", "expected"),
    [
        ("12.6", "linux-64", "cu126"),
        ("11.8", "win-64", "cu118"),
        ("12.6", "osx-arm64", "cpu"),
        ("cpu", "linux-64", "cpu"),
        (None, "linux-64", None),
    ],
)
def test_backend_per_variant_and_platform(
    cuda: str | None, platform: str, expected: str | None
) -> None:
    assert torch_backend(Variant(cuda=cuda), platform, provided=["numpy"]) == expected


def test_no_backend_when_conda_provides_pytorch() -> None:
    assert torch_backend(Variant(cuda="12.6"), "linux-64", provided=["torch", "numpy"]) is None


def test_index_url() -> None:
    assert index_url("cu126") == "https://download.pytorch.org/whl/cu126"


@pytest.mark.network
def test_uv_compiles_non_pytorch_packages_as_before_with_a_backend(tmp_path: Path) -> None:
    """`--torch-backend` changes where PyTorch packages come from, nothing else."""
    target = PipTarget(platform="linux-64", python_version="3.11.9", torch_backend="cu126")
    result = get_resolver("uv").compile(
        CompileRequest(requirements=(Requirement("six"),), target=target, workdir=tmp_path)
    )
    assert [p.name for p in result.pins] == ["six"]
    assert result.target.torch_backend == "cu126"


@pytest.mark.network
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pip-tools runs natively")
def test_pip_tools_without_pytorch_packages_is_fine(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
    shared_mapping: Path,
) -> None:
    spec = write_spec(
        "version: 1\nname: t\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
        'python: "3.11"\ncuda: cpu\nconda:\n  - numpy\npip:\n  - six\n'
    )
    result = run_cli(
        "solve",
        spec,
        "--mirror",
        f"conda-forge={shared_channels / 'conda-forge'}",
        "--pypi-mapping",
        shared_mapping,
        "--pip-resolver",
        "pip-tools",
    )
    assert result.exit_code == 0, result.output
