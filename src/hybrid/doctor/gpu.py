"""`hybrid doctor --gpu`: the driver's CUDA version, the variant the lock was made for, the CUDA
runtimes each layer put on disk, and what the frameworks in the environment see.

The driver is read from `nvidia-smi` when it is on PATH, else from libcuda's
`cuDriverGetVersion` through ctypes; without either the machine has no NVIDIA driver, which
is reported, not a finding. Findings: a driver older than the lock's floor, and CUDA runtimes
(`libcudart`) from two places (both layers, or two majors), which the process would mix.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hybrid.doctor.conda_meta import CondaRecord
from hybrid.doctor.model import Finding
from hybrid.emit.header import parse_output
from hybrid.emit.layout import ENVIRONMENT_YML

DRIVER_TOO_OLD = "gpu-driver-too-old"
TWO_CUDA_RUNTIMES = "gpu-two-cuda-runtimes"

_CUDART = re.compile(
    r"(?:^|/)(?:libcudart\.so(?:\.(?P<so>\d+))?[.\d]*|cudart64_(?P<dll>\d+)\.dll)$"
)
_SMI_VERSION = re.compile(r"CUDA Version:\s*(\d+\.\d+)")
_PROBE = r"""
import json
out = {}
try:
    import torch
    out["torch"] = {"cuda": torch.version.cuda, "available": bool(torch.cuda.is_available())}
except Exception as exc:
    out["torch"] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
try:
    import jax
    out["jax"] = {"devices": [str(d) for d in jax.devices()]}
except Exception as exc:
    out["jax"] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
print(json.dumps(out))
"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Runtime:
    """A CUDA runtime library on disk: which layer put it there (`conda <pkg>`, `pip`)."""

    layer: str
    path: str
    major: str | None


@dataclass(frozen=True, kw_only=True, slots=True)
class GpuReport:
    driver: str | None
    driver_source: str
    variant: str | None
    floor: str | None
    runtimes: tuple[Runtime, ...]
    frameworks: dict[str, Any] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    @property
    def fits(self) -> bool | None:
        """Does the driver run the lock's variant? None when either is unknown."""
        if self.driver is None or self.floor is None:
            return None
        return _key(self.driver) >= _key(self.floor)

    def to_dict(self) -> dict[str, Any]:
        return {
            "driver": self.driver,
            "driver_source": self.driver_source,
            "variant": self.variant,
            "floor": self.floor,
            "fits": self.fits,
            "runtimes": [
                {"layer": r.layer, "path": r.path, "major": r.major} for r in self.runtimes
            ],
            "frameworks": self.frameworks,
        }


def driver_cuda_version() -> tuple[str | None, str]:
    """(the driver's CUDA version "12.4" or None, where it was read / why it was not)."""
    smi = shutil.which("nvidia-smi")
    if smi is not None:
        try:
            done = subprocess.run([smi], capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            return None, f"nvidia-smi failed: {exc}"
        found = _SMI_VERSION.search(done.stdout)
        if found:
            return found[1], "nvidia-smi"
    return _libcuda_version()


def _libcuda_version() -> tuple[str | None, str]:
    name = ctypes.util.find_library("cuda") or ctypes.util.find_library("nvcuda")
    candidates = [n for n in (name, "libcuda.so.1") if n]
    for candidate in candidates:
        try:
            lib = ctypes.CDLL(candidate)
        except OSError:
            continue
        version = ctypes.c_int(0)
        if lib.cuDriverGetVersion(ctypes.byref(version)) == 0 and version.value > 0:
            return f"{version.value // 1000}.{version.value % 1000 // 10}", f"{candidate}"
    return None, "no NVIDIA driver: nvidia-smi is not on PATH and libcuda cannot be loaded"


def lock_variant(lock_dir: Path | None) -> tuple[str | None, str | None]:
    """(variant name, its driver floor) from the header of the lock's outputs: the declared
    `cuda-driver` floor, else the variant's CUDA version."""
    if lock_dir is None:
        return None, None
    path = lock_dir / ENVIRONMENT_YML
    if not path.is_file():
        return None, None
    header = parse_output(path.read_text(encoding="utf-8", errors="replace"))
    variant = header.value("variant")
    if variant is None or not variant.startswith("cuda-"):
        return variant, None
    return variant, header.value("cuda-driver") or variant.removeprefix("cuda-")


def cuda_runtimes(records: list[CondaRecord], sites: list[Path]) -> tuple[Runtime, ...]:
    """libcudart from conda packages (their conda-meta file lists) and pip's nvidia/*/lib."""
    found: list[Runtime] = []
    for record in records:
        for name in sorted(record.files):
            hit = _CUDART.search(name)
            if hit:
                found.append(Runtime(layer=f"conda {record.name}", path=name,
                                     major=hit["so"] or _dll_major(hit["dll"])))
    for site in sites:
        for path in sorted(site.glob("nvidia/*/lib/*")) + sorted(site.glob("nvidia/*/bin/*")):
            hit = _CUDART.search(path.as_posix())
            if hit:
                found.append(Runtime(layer="pip", path=str(path),
                                     major=hit["so"] or _dll_major(hit["dll"])))
    return tuple(found)


def _dll_major(digits: str | None) -> str | None:
    return None if digits is None else digits[:-1] or digits  # cudart64_12.dll, cudart64_110.dll


def frameworks(python: Path | None) -> dict[str, Any]:
    """torch's and jax's own view, asked in the environment's interpreter."""
    if python is None or not python.exists():
        return {}
    try:
        done = subprocess.run([str(python), "-c", _PROBE], capture_output=True, text=True,
                              timeout=300, check=False)
        data = json.loads(done.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError) as exc:
        return {"error": str(exc)}
    return {k: v for k, v in data.items() if not str(v.get("error", "")).startswith(
        ("ModuleNotFoundError", "ImportError"))}


def gpu_report(
    records: list[CondaRecord], sites: list[Path], python: Path | None, lock_dir: Path | None
) -> GpuReport:
    driver, source = driver_cuda_version()
    variant, floor = lock_variant(lock_dir)
    runtimes = cuda_runtimes(records, sites)
    findings: list[Finding] = []
    report = GpuReport(driver=driver, driver_source=source, variant=variant, floor=floor,
                       runtimes=runtimes, frameworks=frameworks(python))
    if report.fits is False:
        findings.append(Finding(
            code=DRIVER_TOO_OLD, subject=f"driver CUDA {driver}",
            reason=f"the lock's variant {variant} needs a driver for CUDA {floor} or newer; "
                   f"this driver supports CUDA {driver}",
            fix="update the NVIDIA driver, or install the outputs of an older CUDA variant",
        ))
    layers = {r.layer.split()[0] for r in runtimes}
    majors = {r.major for r in runtimes if r.major}
    if len(layers) > 1 or len(majors) > 1:
        places = "; ".join(f"{r.layer}: {r.path}" for r in runtimes)
        findings.append(Finding(
            code=TWO_CUDA_RUNTIMES, subject="libcudart",
            reason=f"CUDA runtimes from more than one place: {places}",
            fix="keep the CUDA libraries in one layer: re-lock so conda provides them and the "
                "pip layer reuses them, then recreate the environment from the lock",
        ))
    return GpuReport(driver=driver, driver_source=source, variant=variant, floor=floor,
                     runtimes=runtimes, frameworks=report.frameworks, findings=tuple(findings))


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())
