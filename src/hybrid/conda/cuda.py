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
from hybrid.variants import Variant

# Packages published both as CPU and as CUDA builds, whose build string says which.
CUDA_BUILD_PACKAGES = frozenset(
    {
        "pytorch", "libtorch", "pytorch-gpu", "torchvision", "torchaudio",
        "jaxlib", "tensorflow", "tensorflow-base", "libtensorflow", "libtensorflow_cc",
        "onnxruntime", "faiss", "libfaiss", "faiss-gpu", "xgboost", "libxgboost",
    }
)
# Packages served by the pytorch channel, whose CUDA pin is `pytorch-cuda` / `cpuonly`.
PYTORCH_CHANNEL_PACKAGES = frozenset({"pytorch", "torchvision", "torchaudio"})
_CUDA_RUNTIME = re.compile(
    r"^(cuda-.*|cudatoolkit|cudnn|nccl|cutensor|libcublas.*|libcufft.*|libcufile.*|"
    r"libcurand.*|libcusolver.*|libcusparse.*|libcudnn.*|libcudss.*|libcutensor.*|libnccl.*|"
    r"libnvjitlink.*|libnvjpeg.*|libnvrtc.*|libnvtx.*|libnpp.*|pytorch-cuda|nvidia-.*|"
    r"magma-cuda.*)$"
)


@dataclass(frozen=True, kw_only=True, slots=True)
class VariantPins:
    """What a variant adds to one platform's solve: specs that must be installed and
    constraints that only restrict packages that end up installed."""

    specs: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()


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
        pin = f"pytorch-cuda {cuda}.*" if pytorch_channel else f"cuda-version {cuda}.*"
        return VariantPins(specs=(pin,), constraints=_builds("cuda"))
    specs = ("cpuonly",) if pytorch_channel and variant.cuda == "cpu" else ()
    return VariantPins(specs=specs, constraints=_builds("cpu"))


def _builds(kind: str) -> tuple[str, ...]:
    return tuple(f"{name} * *{kind}*" for name in sorted(CUDA_BUILD_PACKAGES))


def is_cuda_package(package: CondaPackage) -> bool:
    """A CUDA runtime package, or a CUDA build of anything."""
    return bool(_CUDA_RUNTIME.match(package.name)) or "cuda" in package.build.lower()


def cuda_leaks(solution: CondaSolution) -> tuple[CondaPackage, ...]:
    """CUDA packages in a solution that must have none (a `cpu` variant)."""
    return tuple(p for p in solution.packages if is_cuda_package(p))


def dependents(solution: CondaSolution, name: str) -> tuple[str, ...]:
    """Names of the packages in `solution` that depend on `name`."""
    pattern = re.compile(rf"^{re.escape(name)}(\s|$|[<>=!~])")
    return tuple(
        sorted(p.name for p in solution.packages if any(pattern.match(d) for d in p.depends))
    )



def build_glob(variant: Variant, platforms: Sequence[str]) -> str | None:
    """The build-string glob that holds for CUDA-build packages on every one of `platforms`
    in `variant` (`*cuda*` or `*cpu*`), for files that cannot vary by platform
    (environment.yml); None when it differs between them or there is no variant."""
    if variant.cuda is None:
        return None
    if variant.cuda_version is None:
        return "*cpu*"
    return "*cuda*" if all(p in CUDA_PLATFORMS for p in platforms) else None


def with_build(spec: str, glob: str) -> str:
    """`pytorch` -> `pytorch * *cuda*`; `pytorch >=2.4` -> `pytorch >=2.4 *cuda*`; a spec that
    already names a build, or uses the bracket form, stays as written."""
    parts = spec.split()
    if "[" in spec or len(parts) > 2:
        return spec
    return f"{parts[0]} * {glob}" if len(parts) == 1 else f"{spec} {glob}"
