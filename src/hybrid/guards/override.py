"""Guard, after every compile: the pip layer never replaces what conda provides.

By construction (stub wheels pinned at the conda versions) this never fires; if it does, it
is a bug in hybrid, reported as such, never as a warning.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping

from hybrid.errors import PipOverrideBug

# NVIDIA's CUDA runtime wheels (cu12-suffixed, and the unsuffixed CUDA 13 names); not
# `nvidia-ml-py` and friends, which are ordinary Python packages.
CUDA_WHEELS = (
    "nvidia-*-cu[0-9]*", "nvidia-cu*", "nvidia-nccl*", "nvidia-nvjitlink*", "nvidia-nvtx*",
    "nvidia-nvshmem*", "nvidia-cusparselt*",
)
# PyPI-only dependencies that come with a distribution on PyPI but are part of the conda
# package (or its conda dependencies) when conda provides it.
COMPANIONS: Mapping[str, tuple[str, ...]] = {
    "torch": (*CUDA_WHEELS, "triton", "pytorch-triton*"),
    "jaxlib": (*CUDA_WHEELS, "jax-cuda*-plugin", "jax-cuda*-pjrt"),
    "tensorflow": (*CUDA_WHEELS, "tensorrt*"),
    "cupy": (*CUDA_WHEELS, "cupy-cuda*"),
}


def forbidden_in_pip(provided: Iterable[str]) -> tuple[str, ...]:
    """Name patterns the pip layer must not contain, given the provided distributions."""
    names = set(provided)
    patterns = set(names)
    for name in names:
        patterns.update(COMPANIONS.get(name, ()))
    return tuple(sorted(patterns))


def check_no_override(platform: str, pinned: Iterable[str], provided: Iterable[str]) -> None:
    patterns = forbidden_in_pip(provided)
    clashes = sorted(
        name for name in pinned if any(fnmatch.fnmatchcase(name, p) for p in patterns)
    )
    if clashes:
        raise PipOverrideBug(
            f"internal check failed on {platform}: the pip layer contains "
            f"{', '.join(clashes)}, which the conda layer provides (or which only come with "
            "a conda-provided package)"
        )
