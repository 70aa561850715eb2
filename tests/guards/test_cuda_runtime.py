"""The after-compile guards: one CUDA runtime per environment, and no PyPI build coupled to
the ABI of a conda package."""

from __future__ import annotations

import pytest
from packaging.version import Version

from hybrid.conda.model import CondaPackage
from hybrid.errors import AbiCoupledWheelError, DoubleCudaRuntimeError, ExitCode
from hybrid.guards.cuda_runtime import check_abi_coupled, check_one_cuda_runtime
from hybrid.pypi.model import PinnedDistribution


def _conda(name: str, version: str) -> CondaPackage:
    return CondaPackage(
        name=name, version=version, build="h0_0", build_number=0, subdir="linux-64",
        channel="https://conda.anaconda.org/conda-forge",
        url=f"https://conda.anaconda.org/conda-forge/linux-64/{name}-{version}-h0_0.conda",
        fn=f"{name}-{version}-h0_0.conda", md5=None, sha256=None, depends=(),
    )


def _pin(name: str, version: str) -> PinnedDistribution:
    return PinnedDistribution(name=name, version=Version(version))


CONDA = (_conda("python", "3.11.9"), _conda("cuda-cudart", "12.6.77"),
         _conda("libcublas", "12.6.4.1"))


def test_a_double_cuda_runtime_is_refused_naming_wheel_needer_and_conda_runtime() -> None:
    pins = (_pin("jax", "0.6.0"), _pin("jax-cuda12-plugin", "0.6.0"),
            _pin("nvidia-cufft-cu12", "11.3.0.4"))
    with pytest.raises(DoubleCudaRuntimeError) as caught:
        check_one_cuda_runtime(
            "linux-64", CONDA, pins,
            needed_by=lambda name: ("jax-cuda12-plugin",) if name == "nvidia-cufft-cu12" else (),
        )
    text = str(caught.value)
    assert "nvidia-cufft-cu12 11.3.0.4 (needed by jax-cuda12-plugin)" in text
    assert "cuda-cudart 12.6.77" in text
    assert "libcufft (for nvidia-cufft-cu12)" in text  # the way out
    assert caught.value.exit_code == ExitCode.UNSATISFIABLE


@pytest.mark.parametrize("wheel", ["nvidia-cuda-runtime", "nvidia-nccl-cu12", "nvidia-cudnn-cu13"])
def test_every_cuda_wheel_name_counts(wheel: str) -> None:
    with pytest.raises(DoubleCudaRuntimeError, match=wheel):
        check_one_cuda_runtime("linux-64", CONDA, [_pin(wheel, "1.0")])


def test_one_runtime_on_either_side_passes() -> None:
    pins = (_pin("nvidia-cublas-cu12", "12.6.4.1"), _pin("nvidia-ml-py", "12.560.30"))
    check_one_cuda_runtime("linux-64", (_conda("python", "3.11.9"),), pins)
    check_one_cuda_runtime("linux-64", CONDA, [_pin("nvidia-ml-py", "12.560.30")])


def test_pypi_torchvision_next_to_conda_pytorch_is_refused() -> None:
    pins = (_pin("timm", "1.0.15"), _pin("torchvision", "0.21.0"))
    with pytest.raises(AbiCoupledWheelError) as caught:
        check_abi_coupled("linux-64", pins, {"torch": "pytorch", "numpy": "numpy"})
    text = str(caught.value)
    assert "torchvision" in text and "conda's pytorch" in text
    assert "add torchvision to the spec's `conda:` entries" in text
    assert caught.value.exit_code == ExitCode.UNSATISFIABLE


def test_a_jax_plugin_next_to_conda_jaxlib_is_refused() -> None:
    with pytest.raises(AbiCoupledWheelError, match="jax-cuda12-plugin"):
        check_abi_coupled("linux-64", [_pin("jax-cuda12-plugin", "0.6.0")], {"jaxlib": "jaxlib"})


def test_coupled_wheels_pass_when_conda_does_not_provide_their_base() -> None:
    check_abi_coupled("linux-64", [_pin("torchvision", "0.21.0")], {"numpy": "numpy"})
    check_abi_coupled("linux-64", [_pin("timm", "1.0.15")], {"torch": "pytorch"})
