"""Guards, after every pip compile: one CUDA runtime per environment, and no PyPI build of a
package whose compiled extension is coupled to a conda package's ABI.

The bridge stubs the NVIDIA wheels whose libraries the conda layer holds
(`hybrid.mapping.cuda`), so a pip layer that still pins one asks for a CUDA library conda does
not have: a second runtime, loaded next to conda's. A PyPI `torchvision` next to conda's
`pytorch` satisfies its `torch==` pin through the stub, but its `_C.so` was linked against
PyPI's torch build (and bundles its own CUDA runtime): it may load the wrong libraries or fail
at import. Both are the user's spec, not a hybrid bug: they exit as unsatisfiable, naming the
way out.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from hybrid.errors import AbiCoupledWheelError, DoubleCudaRuntimeError
from hybrid.guards.override import CUDA_WHEELS
from hybrid.mapping.cuda import conda_for_wheel, is_cuda_library

# PyPI distributions whose compiled extensions link against the library of one conda package
# (PyPI name of that package's distribution -> patterns). Their PyPI builds are made against
# PyPI's build of it; next to conda's, conda must solve a matching build instead.
ABI_COUPLED: Mapping[str, tuple[str, ...]] = {
    "torch": (
        "torchvision", "torchaudio", "torchtext", "torchrec", "torchao", "torch-tensorrt",
        "xformers", "flash-attn", "flash-attn-*", "torch-scatter", "torch-sparse",
        "torch-cluster", "torch-spline-conv", "pyg-lib", "apex", "fbgemm-gpu*", "mmcv",
        "mmcv-full", "detectron2", "natten", "causal-conv1d", "mamba-ssm", "vllm",
        "deepspeed-kernels", "pytorch3d",
    ),
    "jaxlib": ("jax-cuda*-plugin", "jax-cuda*-pjrt", "jax-rocm*-plugin", "jax-rocm*-pjrt"),
}


class _Pin(Protocol):
    @property
    def name(self) -> str: ...


class _Version(Protocol):
    def __str__(self) -> str: ...


class _PinWithVersion(_Pin, Protocol):
    @property
    def version(self) -> _Version: ...


class _Record(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...


def is_cuda_wheel(name: str) -> bool:
    """Whether the PyPI distribution is one of NVIDIA's CUDA library wheels."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in CUDA_WHEELS)


def coupled_to(name: str, provided: Iterable[str]) -> str | None:
    """The provided distribution the PyPI build of `name` is ABI-coupled to, if any."""
    names = set(provided)
    for base, patterns in ABI_COUPLED.items():
        if base in names and any(fnmatch.fnmatchcase(name, p) for p in patterns):
            return base
    return None


def _needers(name: str, needed_by: Callable[[str], Sequence[str]] | None) -> str:
    found = needed_by(name) if needed_by is not None else ()
    return f" (needed by {', '.join(found)})" if found else ""


def check_one_cuda_runtime(
    platform: str,
    conda: Iterable[_Record],
    pins: Iterable[_PinWithVersion],
    *,
    needed_by: Callable[[str], Sequence[str]] | None = None,
) -> None:
    """At most one CUDA runtime: no `nvidia-*` CUDA wheel in the pip layer while the conda
    layer holds CUDA libraries. `needed_by(name)` names the pins requiring `name`."""
    libraries = [record for record in conda if is_cuda_library(record.name)]
    wheels = sorted((pin for pin in pins if is_cuda_wheel(pin.name)), key=lambda p: p.name)
    if not libraries or not wheels:
        return
    runtime = [r for r in libraries if r.name in ("cuda-cudart", "cudatoolkit")] or libraries
    have = ", ".join(f"{r.name} {r.version}" for r in runtime[:4])
    lines = [f"  {pin.name} {pin.version}{_needers(pin.name, needed_by)}" for pin in wheels]
    instead = sorted(
        {f"{conda_for_wheel(pin.name)[0]} (for {pin.name})" for pin in wheels
         if conda_for_wheel(pin.name)}
    )
    hint = (
        "add " + ", ".join(instead) + " to the spec's `conda:` entries, so the pip layer "
        "takes those libraries from conda"
        if instead
        else "put the package needing them in the spec's `conda:` entries"
    )
    raise DoubleCudaRuntimeError(
        f"the pip layer for {platform} would install a second CUDA runtime next to the conda "
        f"layer's ({have}):\n" + "\n".join(lines),
        hint=hint + ", or ask pip for the package without its CUDA extra",
    )


def check_abi_coupled(
    platform: str, pins: Iterable[_Pin], provided: Mapping[str, str]
) -> None:
    """No PyPI build ABI-coupled to a conda package; `provided` is PyPI name -> conda name."""
    clashes = [
        (pin.name, base)
        for pin in sorted(pins, key=lambda p: p.name)
        if (base := coupled_to(pin.name, provided)) is not None
    ]
    if not clashes:
        return
    lines = [
        f"  {name}: its PyPI build is linked against PyPI's {base}, not conda's "
        f"{provided[base]}"
        for name, base in clashes
    ]
    names = ", ".join(name for name, _ in clashes)
    raise AbiCoupledWheelError(
        f"the pip layer for {platform} would install PyPI builds coupled to a conda "
        "package's ABI:\n" + "\n".join(lines),
        hint=f"add {names} to the spec's `conda:` entries, so conda solves builds matching "
        + ", ".join(sorted({provided[base] for _, base in clashes})),
    )
