"""What counts as a CUDA package, and who pulled it in: on solutions built here."""

from __future__ import annotations

import pytest

from hybrid.conda.cuda import cuda_leaks, dependents, is_cuda_package
from tests.conda.helpers import package, solution


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("cuda-version", "h_3"),
        ("cuda-cudart", "h_0"),
        ("cudatoolkit", "h_11"),
        ("cudnn", "h_0"),
        ("nccl", "h_0"),
        ("libcublas", "h_0"),
        ("libcusparse-dev", "h_0"),
        ("libnvjitlink", "h_0"),
        ("pytorch-cuda", "h_0"),
        ("nvidia-nccl-cu12", "h_0"),
        ("pytorch", "cuda126_generic_py311_h_0"),  # conda-forge's CUDA build
        ("pytorch", "py3.10_cuda12.1_cudnn8.9.2_0"),  # the pytorch channel's
        ("torchvision", "py310_cu121"),
        ("libfaiss", "h_0_cuda11.8"),
    ],
)
def test_cuda_packages(name: str, build: str) -> None:
    assert is_cuda_package(package(name, "1.0", build))


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("pytorch", "cpu_mkl_py311_h_0"),
        ("pytorch", "py3.10_cpu_0"),
        ("torchvision", "py310_cpu"),
        ("pytorch", "py3.10_0"),  # unlabelled macOS build
        ("numpy", "py311h_0"),
        ("cupy-core", "py311h_0"),  # a name starting with "cu" is not CUDA by itself
        ("curl", "h_0"),
    ],
)
def test_cpu_packages(name: str, build: str) -> None:
    assert not is_cuda_package(package(name, "1.0", build))


def test_leaks_keep_install_order_and_name_their_dependents() -> None:
    solved = solution(
        "linux-64",
        package("cuda-version", "12.6", "h_3"),
        package("cuda-cudart", "12.6.77", "h_0", "cuda-version >=12.6,<12.7.0a0"),
        package("numpy", "2.1.3", "py311h_0"),
        package("pytorch", "2.6.0", "cpu_0", "cuda-cudart >=12", "numpy"),
        package("extra", "1.0", "0", "cuda-cudart"),
    )
    assert [p.name for p in cuda_leaks(solved)] == ["cuda-version", "cuda-cudart"]
    assert dependents(solved, "cuda-cudart") == ("extra", "pytorch")
    assert dependents(solved, "cuda-version") == ("cuda-cudart",)
    assert dependents(solved, "cuda") == ()  # a prefix of a name is not the name


def test_nvml_bindings_are_not_a_cuda_runtime() -> None:
    from hybrid.conda.cuda import is_cuda_package
    from tests.conda.helpers import package

    assert not is_cuda_package(package("nvidia-ml-py", "12.560.30", "pyhd8ed1ab_1"))
    assert is_cuda_package(package("nvidia-nccl-cu12", "2.23.4", "h_0"))
