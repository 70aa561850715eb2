"""CUDA variants in the conda layer: the pins, the build constraints and the after-solve check.

Measured on real conda-forge records: `__cuda=12.6` plus `cuda-version 12.6.*` still lets the
solver pick `pytorch 2.6.0 cpu_mkl`, so packages that come in CUDA builds are constrained to
CUDA builds in a CUDA variant (and to CPU builds in a `cpu` variant). Channel metadata can be
wrong (pytorch-channel records that lost their `pytorch-mutex` pin), so a `cpu` solution is
checked afterwards for any CUDA runtime package.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hybrid.conda.model import CondaPackage, CondaSolution
from hybrid.platforms import CUDA_PLATFORMS
from hybrid.spec.matchspec import CondaMatchSpec
from hybrid.spec.variants import Variant

# Packages published both as CPU and as CUDA builds, whose build string says which.
CUDA_BUILD_PACKAGES = frozenset(
    {
        "pytorch",
        "libtorch",
        "pytorch-gpu",
        "torchvision",
        "torchaudio",
        "jaxlib",
        "tensorflow",
        "tensorflow-base",
        "libtensorflow",
        "libtensorflow_cc",
        "onnxruntime",
        "faiss",
        "libfaiss",
        "faiss-gpu",
        "xgboost",
        "libxgboost",
    }
)
# Packages served by the pytorch channel, whose CUDA pin is `pytorch-cuda` / `cpuonly`.
PYTORCH_CHANNEL_PACKAGES = frozenset({"pytorch", "torchvision", "torchaudio"})
_CUDA_RUNTIME = re.compile(
    r"^(cuda-.*|cudatoolkit|cudnn|nccl|cutensor|libcublas.*|libcufft.*|libcufile.*|"
    r"libcurand.*|libcusolver.*|libcusparse.*|libcudnn.*|libcudss.*|libcutensor.*|libnccl.*|"
    r"libnvjitlink.*|libnvjpeg.*|libnvrtc.*|libnvtx.*|libnpp.*|pytorch-cuda|"
    # nvidia-ml-py is NVML's pure-Python binding (pynvml needs it), no CUDA runtime
    r"nvidia-(?!ml-py$).*|"
    r"magma-cuda.*)$"
)


# How channels name builds (all seen in the snapshot of real records): conda-forge
# `cuda126_generic_py311_h..._0`, `cuda_py313_h..._0`, `cpu_mkl_py311_h..._0`; the pytorch
# channel `py3.10_cuda12.1_cudnn8.9.2_0` and `py3.10_cpu_0` (pytorch), `py310_cu121` and
# `py310_cpu` (torchvision, torchaudio), `h..._0_cuda11.8` (libfaiss), and unlabelled CPU
# builds (`py3.10_0` on macOS). A CUDA build has an `_`-separated part starting with `cuda`
# or `cu` and a digit; every other build is a CPU build. The two patterns below are that rule
# for solvers (rattler and conda both read `^...$` build strings as regular expressions).
CUDA_BUILD = r"^(.*_)?(cuda|cu\d).*$"
_PART_NOT_CUDA = r"([^c_][^_]*|c([^u_][^_]*)?|cu([^d_0-9][^_]*)?|cud([^a_][^_]*)?)"
NOT_CUDA_BUILD = rf"^{_PART_NOT_CUDA}?(_{_PART_NOT_CUDA}?)*$"
_CUDA_BUILD = re.compile(CUDA_BUILD)


def is_cuda_build(build: str) -> bool:
    """True for a CUDA build in any channel's naming (`cuda126_...`, `py310_cu121`)."""
    return bool(_CUDA_BUILD.match(build))


@dataclass(frozen=True, kw_only=True, slots=True)
class VariantPins:
    """What a variant adds to one platform's solve: specs that must be installed and
    constraints that only restrict packages that end up installed."""

    specs: tuple[CondaMatchSpec, ...] = ()
    constraints: tuple[CondaMatchSpec, ...] = ()


def uses_pytorch_channel(channels: Sequence[str], requested: Sequence[str]) -> bool:
    """True when the pytorch channel serves the requested PyTorch packages."""
    on_channel = any(c.rstrip("/").split("/")[-1] == "pytorch" for c in channels)
    return on_channel and bool(PYTORCH_CHANNEL_PACKAGES & set(requested))


def variant_pins(
    variant: Variant, platform: str, *, channels: Sequence[str], requested: Sequence[str]
) -> VariantPins:
    """The pins of `variant` on `platform`, in the convention of the channels used."""
    if variant.cuda is None:
        return VariantPins()
    pytorch_channel = uses_pytorch_channel(channels, requested)
    cuda = variant.cuda_version
    if cuda is not None and platform in CUDA_PLATFORMS:
        runtime = "pytorch-cuda" if pytorch_channel else "cuda-version"
        pin = CondaMatchSpec(name=runtime, version=f"{cuda}.*")
        return VariantPins(specs=(pin,), constraints=_builds(CUDA_BUILD))
    cpuonly = pytorch_channel and variant.cuda == "cpu"
    specs = (CondaMatchSpec(name="cpuonly"),) if cpuonly else ()
    return VariantPins(specs=specs, constraints=_builds(NOT_CUDA_BUILD))


def _builds(pattern: str) -> tuple[CondaMatchSpec, ...]:
    return tuple(CondaMatchSpec(name=n, build=pattern) for n in sorted(CUDA_BUILD_PACKAGES))


def is_cuda_package(package: CondaPackage) -> bool:
    """A CUDA runtime package, or a CUDA build of anything."""
    return bool(_CUDA_RUNTIME.match(package.name)) or is_cuda_build(package.build)


def cuda_leaks(solution: CondaSolution) -> tuple[CondaPackage, ...]:
    """CUDA packages in a solution that must have none (a `cpu` variant)."""
    return tuple(p for p in solution.packages if is_cuda_package(p))


def dependents(solution: CondaSolution, name: str) -> tuple[str, ...]:
    """Names of the packages in `solution` that depend on `name`."""
    pattern = re.compile(rf"^{re.escape(name)}(\s|$|[<>=!~])")
    return tuple(
        sorted(p.name for p in solution.packages if any(pattern.match(d) for d in p.depends))
    )


def readable_build(build: str) -> str | None:
    """The build constraint environment.yml states for a solved CUDA-build package: the
    glob a person would write (`*cuda*`, `*_cu*` for `py310_cu121`, `*cpu*`) where it fits
    the solved build, else the channel-neutral pattern of CUDA builds. An unlabelled CPU build
    (`py3.10_0` on macOS) gets none: conda reads `[...]` inside a build pattern as the
    bracket section, so `NOT_CUDA_BUILD` cannot be written for it, and none is needed
    where no CUDA build exists for the platform."""
    if is_cuda_build(build):
        return "*cuda*" if "cuda" in build else "*_cu*" if "_cu" in build else CUDA_BUILD
    return "*cpu*" if "cpu" in build else None
