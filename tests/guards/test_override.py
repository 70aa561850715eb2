"""The after-compile guard: nothing conda provides, nor its PyPI-only companions, in pip."""

from __future__ import annotations

import pytest

from hybrid.errors import ExitCode, InternalError, PipOverrideBug
from hybrid.guards.override import check_no_override


def test_a_clean_pip_layer_passes() -> None:
    check_no_override("linux-64", ["accelerate", "transformers", "nvidia-ml-py"], ["torch"])


@pytest.mark.parametrize(
    "leak",
    [
        "torch",
        "numpy",
        "triton",
        "nvidia-cublas-cu12",
        "nvidia-cuda-runtime",
        "nvidia-nccl-cu12",
        "pytorch-triton-rocm",
    ],
)
def test_a_conda_package_or_its_companion_is_a_bug(leak: str) -> None:
    with pytest.raises(PipOverrideBug) as caught:
        check_no_override("linux-64", ["accelerate", leak], ["torch", "numpy"])
    assert leak in str(caught.value)
    assert isinstance(caught.value, InternalError)
    assert caught.value.exit_code == ExitCode.INTERNAL


def test_companions_only_apply_when_their_package_is_provided() -> None:
    check_no_override("linux-64", ["triton", "nvidia-cublas-cu12"], ["numpy"])
