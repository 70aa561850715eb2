"""The PyTorch wheel index of a variant, for PyTorch-family pip packages.

PyPI's `torch` wheels for Linux are CUDA builds of one CUDA version, with `nvidia-*` wheels;
in a variant the pip layer must take the build that matches it instead: the PyTorch index
`https://download.pytorch.org/whl/<backend>` (`cu126`, `cpu`). uv routes exactly the
PyTorch-ecosystem packages there with `--torch-backend`; the choice is recorded in the
outputs as the index the pins came from.
"""

from __future__ import annotations

from collections.abc import Iterable

from hybrid.platforms import CUDA_PLATFORMS
from hybrid.spec.variants import Variant

PYTORCH_INDEX = "https://download.pytorch.org/whl"
PYTORCH_FAMILY = frozenset({"torch", "torchvision", "torchaudio", "torchtext", "torchdata"})


def torch_backend(variant: Variant, platform: str, provided: Iterable[str]) -> str | None:
    """`cu126` for a CUDA 12.6 variant where CUDA exists, `cpu` for a cpu variant or a
    platform without CUDA; None without variants, or when conda provides PyTorch (then the
    pip layer never holds a PyTorch package)."""
    if variant.cuda is None or PYTORCH_FAMILY & set(provided):
        return None
    cuda = variant.cuda_version
    if cuda is None or platform not in CUDA_PLATFORMS:
        return "cpu"
    return "cu" + cuda.replace(".", "")


def index_url(backend: str) -> str:
    return f"{PYTORCH_INDEX}/{backend}"
