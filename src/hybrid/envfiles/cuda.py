"""CUDA pins in the forms labs write them, read as a `cuda:` value ("11.8", "12.1", "cpu")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

from hybrid.envfiles.condaspec import release_parts
from hybrid.envfiles.inventory import CondaItem, Inventory
from hybrid.spec.location import Location

#: Conda packages that only pin the CUDA version; hybrid adds its own per variant.
CUDA_PIN_PACKAGES = frozenset({"cudatoolkit", "pytorch-cuda", "cuda-version"})
#: The pytorch channel's "no CUDA" selector package.
CPU_PIN_PACKAGES = frozenset({"cpuonly"})
#: PyPI distributions PyTorch publishes with `+cuXXX` builds on its own index.
PYTORCH_WHEELS = frozenset({"torch", "torchvision", "torchaudio"})

_PYTORCH_INDEX = re.compile(r"download\.pytorch\.org/whl/(?:[a-z]+/)?(cu\d+|cpu)(?:/|$)")


@dataclass(frozen=True, kw_only=True, slots=True)
class CudaPin:
    """A CUDA version ("12.1") or "cpu" and where it was written."""

    value: str
    what: str
    location: Location


def label_cuda(label: str) -> str | None:
    """`cu121` -> "12.1", `cu118` -> "11.8", `cu92` -> "9.2", `cpu` -> "cpu"."""
    if label == "cpu":
        return label
    digits = label.removeprefix("cu")
    if not label.startswith("cu") or not digits.isdigit() or len(digits) < 2:
        return None
    return f"{int(digits[:-1])}.{digits[-1]}"


def conda_cuda(item: CondaItem) -> str | None:
    """The CUDA major.minor a `cudatoolkit` / `pytorch-cuda` / `cuda-version` pin names."""
    if item.name in CPU_PIN_PACKAGES:
        return "cpu"
    if item.name not in CUDA_PIN_PACKAGES:
        return None
    parts = release_parts(item.version)
    if parts is None or len(parts) < 2:
        return None
    return f"{int(parts[0])}.{int(parts[1])}"


#: The oldest CUDA with a `cuda-version` package on conda-forge (the pin `cuda:` becomes).
FIRST_CUDA_VERSION = Version("9.2")
#: The oldest CUDA with a `pytorch-cuda` package on the pytorch channel.
FIRST_PYTORCH_CUDA = Version("11.6")


def has_runtime_pin(value: str, *, pytorch_channel: bool) -> bool:
    """Whether `cuda: value` can be solved: hybrid pins `pytorch-cuda X.*` when the pytorch
    channel serves pytorch, else `cuda-version X.*`, and neither exists for old CUDAs.

    Measured (2026): conda-forge's cuda-version feedstock (recipe/conda_build_config.yaml)
    builds 9.2, 10.0, 10.1, 10.2, 11.0-11.8, 12.x; `pytorch-cuda` starts at 11.6 (PyTorch
    1.13, `pytorch-cuda=11.6 -c pytorch -c nvidia`; PyTorch 1.12 and older pinned
    `cudatoolkit`). The shared snapshot (../shared/channels, a union of lock files rather
    than whole channels) holds cuda-version 11.8-13.3 (conda-forge) and 12.6 (nvidia),
    pytorch-cuda 11.7, 11.8 and 12.1, cudatoolkit 10.1.243-11.8.0 (conda-forge).
    """
    if value == "cpu":
        return True
    try:
        version = Version(value)
    except InvalidVersion:
        return False
    return version >= (FIRST_PYTORCH_CUDA if pytorch_channel else FIRST_CUDA_VERSION)


def local_label(requirement: Requirement) -> str | None:
    """The local label of a `==` pin (`torch==2.1.0+cu121` -> `cu121`), if any."""
    for spec in requirement.specifier:
        if spec.operator in ("==", "===") and "+" in spec.version:
            return spec.version.split("+", 1)[1].lower()
    return None


def pip_cuda(requirement: Requirement) -> str | None:
    label = local_label(requirement)
    return label_cuda(label) if label is not None else None


def without_local_label(requirement: Requirement) -> Requirement:
    """`torch==2.1.0+cu121` -> `torch==2.1.0` (markers and extras kept)."""
    copy = Requirement(str(requirement))
    specs = []
    for spec in requirement.specifier:
        version = spec.version.split("+", 1)[0] if "+" in spec.version else spec.version
        specs.append(f"{spec.operator}{version}")
    copy.specifier = type(requirement.specifier)(",".join(specs))
    return copy


def index_cuda(url: str) -> str | None:
    """`https://download.pytorch.org/whl/cu121` -> "12.1"."""
    found = _PYTORCH_INDEX.search(url)
    return label_cuda(found.group(1)) if found else None


def is_pytorch_index(url: str) -> bool:
    return "download.pytorch.org" in url


def cuda_pins(inv: Inventory) -> list[CudaPin]:
    """Every CUDA pin of one file, in file order."""
    pins: list[CudaPin] = []
    for item in inv.cuda:
        pins.append(CudaPin(value=item.text, what=f"cuda: {item.text}", location=item.location))
    for conda in inv.conda:
        value = conda_cuda(conda)
        if value is not None:
            pins.append(CudaPin(value=value, what=f"`{conda.written}`", location=conda.location))
    for pip in inv.pip:
        value = pip_cuda(pip.requirement)
        if value is not None:
            pins.append(CudaPin(value=value, what=f"`{pip.requirement}`", location=pip.location))
    for index in [*inv.index_urls, *inv.extra_index_urls, *inv.find_links]:
        value = index_cuda(index.text)
        if value is not None:
            pins.append(CudaPin(value=value, what=index.text, location=index.location))
    return sorted(pins, key=lambda pin: (pin.location.line, pin.location.column))
