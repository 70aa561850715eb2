"""CUDA pins in their many spellings."""

from __future__ import annotations

import pytest
from packaging.requirements import Requirement

from hybrid.envfiles.cuda import index_cuda, label_cuda, pip_cuda, without_local_label


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("cu121", "12.1"),
        ("cu118", "11.8"),
        ("cu92", "9.2"),
        ("cu102", "10.2"),
        ("cpu", "cpu"),
        ("cu", None),
        ("rocm5.6", None),
        ("cu1", None),
    ],
)
def test_labels(label: str, value: str | None) -> None:
    assert label_cuda(label) == value


def test_pip_local_labels() -> None:
    torch = Requirement('torch==2.1.0+cu121; sys_platform == "linux"')
    assert pip_cuda(torch) == "12.1"
    assert str(without_local_label(torch)) == 'torch==2.1.0; sys_platform == "linux"'
    assert pip_cuda(Requirement("torch>=2")) is None


def test_index_urls() -> None:
    assert index_cuda("https://download.pytorch.org/whl/cu118") == "11.8"
    assert index_cuda("https://download.pytorch.org/whl/nightly/cu124/") == "12.4"
    assert index_cuda("https://download.pytorch.org/whl/cpu") == "cpu"
    assert index_cuda("https://pypi.org/simple") is None
