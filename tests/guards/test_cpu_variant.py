"""The after-solve guard of a `cpu` variant, on solutions built here (no channel, no solve)."""

from __future__ import annotations

import pytest

from hybrid.errors import ExitCode, VariantError
from hybrid.guards.cpu_variant import check_cpu_variant
from hybrid.spec.variants import Variant
from tests.conda.helpers import package, solution

CPU = Variant(cuda="cpu")
CLEAN = solution(
    "linux-64",
    package("python", "3.11.9", "h_0_cpython"),
    package("pytorch", "2.6.0", "cpu_mkl_py311_h_0", "python >=3.11"),
)
LEAKY = solution(
    "linux-64",
    package("cuda-cudart", "12.6.77", "h_0"),
    package("pytorch", "2.6.0", "cpu_mkl_py311_h_0", "cuda-cudart >=12", "python"),
    package("python", "3.11.9", "h_0_cpython"),
)


def test_a_cpu_solution_without_cuda_passes() -> None:
    check_cpu_variant(CPU, (CLEAN, solution("osx-arm64", package("numpy", "2.1.3"))))


def test_a_cuda_runtime_in_a_cpu_solution_is_refused_and_named() -> None:
    with pytest.raises(VariantError) as caught:
        check_cpu_variant(CPU, (CLEAN, LEAKY))
    message = str(caught.value)
    assert "the cpu variant for linux-64 would install CUDA packages" in message
    assert "  cuda-cudart 12.6.77 h_0 (needed by pytorch)" in message
    assert "pytorch * *cpu*" in message  # the way out
    assert caught.value.exit_code == ExitCode.UNSATISFIABLE


def test_a_cuda_build_of_anything_is_a_leak() -> None:
    built = solution("linux-64", package("pytorch", "2.6.0", "cuda126_generic_py311_h_0"))
    with pytest.raises(VariantError) as caught:
        check_cpu_variant(CPU, (built,))
    assert "  pytorch 2.6.0 cuda126_generic_py311_h_0\n" in str(caught.value) + "\n"


def test_the_platform_that_leaks_is_named() -> None:
    leaky_win = solution("win-64", package("libcublas", "12.6.4.1", "h_0"))
    with pytest.raises(VariantError) as caught:
        check_cpu_variant(CPU, (CLEAN, leaky_win))
    assert "cpu variant for win-64" in str(caught.value)
    assert "linux-64" not in str(caught.value)


@pytest.mark.parametrize("cuda", [None, "12.6"])
def test_only_the_cpu_variant_is_checked(cuda: str | None) -> None:
    check_cpu_variant(Variant(cuda=cuda), (LEAKY,))
