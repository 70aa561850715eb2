"""CUDA libraries between the layers: conda CUDA packages and NVIDIA's PyPI wheels.

A conda environment with `libcublas` already has libcublas.so; a pip package asking for
`nvidia-cublas-cu12` would bring a second copy (and a second CUDA runtime). The table in
`cuda_wheels.txt` (its header names its source) says which wheel holds the libraries of which
conda package; `cuda_wheel_distributions` presents the conda ones to pip as those wheels, so
the pip layer gets stubs for them and never installs PyPI's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Protocol

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

#: CUDA majors the table has wheel names for.
CUDA_MAJORS = (12, 13)
_CUDA_VERSION_DEP = re.compile(r"^cuda-version\s*[>=]=?\s*(\d+)")


class CondaRecordLike(Protocol):
    """What the bridge needs of a solved conda record."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def depends(self) -> Sequence[str]: ...


@dataclass(frozen=True, kw_only=True, slots=True)
class CudaWheel:
    """One row of the table: a conda package and its wheel per CUDA major."""

    conda_name: str
    wheels: Mapping[int, NormalizedName]
    #: how many version components the wheel keeps of the conda version (None: all)
    parts: int | None

    def wheel_version(self, conda_version: str) -> str | None:
        """The wheel version of the same libraries, or None when not PEP 440."""
        public = conda_version.split("+", 1)[0]
        if self.parts is not None:
            public = ".".join(public.split(".")[: self.parts])
        try:
            return str(Version(public))
        except InvalidVersion:
            return None


@cache
def cuda_table() -> Mapping[str, CudaWheel]:
    """conda name -> its row, read from the package's `cuda_wheels.txt`."""
    text = (files("hybrid.mapping") / "cuda_wheels.txt").read_text(encoding="utf-8")
    rows: dict[str, CudaWheel] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        conda_name, cuda12, cuda13, parts = line.split()
        rows[conda_name] = CudaWheel(
            conda_name=conda_name,
            wheels={12: canonicalize_name(cuda12), 13: canonicalize_name(cuda13)},
            parts=None if parts == "-" else int(parts),
        )
    return rows


def conda_for_wheel(wheel: str) -> tuple[str, ...]:
    """The conda packages holding the libraries of the PyPI wheel `wheel` (sorted)."""
    name = canonicalize_name(wheel)
    return tuple(
        sorted(row.conda_name for row in cuda_table().values() if name in row.wheels.values())
    )


def is_cuda_library(conda_name: str) -> bool:
    """Whether the conda package holds CUDA runtime libraries (`cudatoolkit` of CUDA 11 too)."""
    return conda_name in cuda_table() or conda_name == "cudatoolkit"


def cuda_major(records: Iterable[CondaRecordLike]) -> int | None:
    """The CUDA major of a solved environment: its `cuda-version`, else what its CUDA
    libraries ask of `cuda-version`; None without CUDA."""
    chosen = list(records)
    for record in chosen:
        if record.name == "cuda-version":
            head = record.version.split(".", 1)[0]
            return int(head) if head.isdigit() else None
    for record in chosen:
        if record.name in cuda_table():
            for dep in record.depends:
                found = _CUDA_VERSION_DEP.match(dep)
                if found:
                    return int(found.group(1))
    return None


@dataclass(frozen=True, kw_only=True, slots=True)
class CudaWheelClaim:
    """A conda record standing for a CUDA wheel: the wheel, its version, the record's name."""

    wheel: NormalizedName
    version: str
    conda_name: str


def cuda_wheel_claims(records: Iterable[CondaRecordLike]) -> dict[NormalizedName, CudaWheelClaim]:
    """Wheel name -> the conda record holding its libraries, for one solved environment.

    Empty for a CUDA major the table has no wheels for (CUDA 11's `cudatoolkit`). Where two
    records hold one wheel (`cudnn` and `libcudnn`), the higher version wins.
    """
    chosen = list(records)
    major = cuda_major(chosen)
    if major not in CUDA_MAJORS:
        return {}
    table = cuda_table()
    claims: dict[NormalizedName, CudaWheelClaim] = {}
    for record in chosen:
        row = table.get(record.name)
        if row is None:
            continue
        version = row.wheel_version(record.version)
        if version is None:
            continue
        wheel = row.wheels[major]
        known = claims.get(wheel)
        if known is None or Version(known.version) < Version(version):
            claims[wheel] = CudaWheelClaim(
                wheel=wheel, version=version, conda_name=record.name
            )
    return claims
