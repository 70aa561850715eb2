"""The CUDA library table: conda CUDA packages and the NVIDIA wheels holding their libraries,
checked against the real records of the snapshot channels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.version import Version

from hybrid.mapping import builtin_mapping, provided_distributions
from hybrid.mapping.cuda import conda_for_wheel, cuda_table, cuda_wheel_claims
from hybrid.mapping.provided import ProvidedDistribution


class Record:
    def __init__(self, raw: dict[str, object]) -> None:
        self.name = str(raw["name"])
        self.version = str(raw["version"])
        self.depends = tuple(str(d) for d in raw.get("depends", ()))  # type: ignore[attr-defined]


def _records(channels: Path, names: set[str]) -> list[Record]:
    found: list[Record] = []
    for channel in ("conda-forge", "nvidia"):
        data = json.loads((channels / channel / "linux-64" / "repodata.json").read_text("utf-8"))
        for key in ("packages", "packages.conda"):
            found.extend(Record(r) for r in data.get(key, {}).values() if r["name"] in names)
    return found


def _newest(records: list[Record], name: str, major: str) -> Record:
    chosen = [r for r in records if r.name == name and any(
        d.startswith(f"cuda-version >={major}") for d in r.depends)]
    return max(chosen, key=lambda r: Version(r.version))


def test_the_table_is_package_data_with_both_cuda_majors() -> None:
    table = cuda_table()
    assert table["libcublas"].wheels == {12: "nvidia-cublas-cu12", 13: "nvidia-cublas"}
    assert table["cuda-cudart"].wheels[12] == "nvidia-cuda-runtime-cu12"
    assert table["cudnn"].wheels[13] == "nvidia-cudnn-cu13"
    assert conda_for_wheel("nvidia_cudnn_cu12") == ("cudnn", "libcudnn")


@pytest.mark.snapshot
def test_every_cuda_library_record_of_the_snapshot_has_a_wheel_version(
    shared_channels: Path,
) -> None:
    records = _records(shared_channels, set(cuda_table()))
    seen = {r.name for r in records}
    # The snapshot has records for the core libraries of the table.
    assert {"cuda-cudart", "cuda-nvrtc", "libcublas", "libcufft", "libcurand", "libcusolver",
            "libcusparse", "libnvjitlink", "cuda-nvtx", "cuda-cupti", "cudnn", "nccl"} <= seen
    for record in records:
        version = cuda_table()[record.name].wheel_version(record.version)
        assert version is not None, (record.name, record.version)
        assert record.version.startswith(version)


@pytest.mark.snapshot
def test_a_cuda_12_environment_provides_the_cu12_wheels_at_their_versions(
    shared_channels: Path,
) -> None:
    records = _records(shared_channels, {"libcublas", "cudnn", "nccl", "cuda-cudart"})
    chosen = [_newest(records, n, "12") for n in ("libcublas", "cudnn", "nccl", "cuda-cudart")]
    provided = provided_distributions(chosen, builtin_mapping())
    cublas = provided[next(iter(n for n in provided if n == "nvidia-cublas-cu12"))]
    assert cublas == ProvidedDistribution(
        pypi_name=cublas.pypi_name, version=chosen[0].version, conda_name="libcublas"
    )
    assert provided["nvidia-cudnn-cu12"].version == chosen[1].version  # type: ignore[index]
    nccl = chosen[2].version  # conda adds a fourth component: 2.x.y.1
    assert provided["nvidia-nccl-cu12"].version == ".".join(nccl.split(".")[:3])  # type: ignore[index]
    assert "nvidia-cuda-runtime-cu12" in provided
    assert not [n for n in provided if n.endswith("-cu13") or n == "nvidia-cublas"]


@pytest.mark.snapshot
def test_a_cuda_13_environment_provides_the_unsuffixed_wheels(shared_channels: Path) -> None:
    records = _records(shared_channels, {"cuda-cudart", "libcublas", "libcufft"})
    cuda13 = [r for r in records if r.version.startswith("13.")]
    if not cuda13:
        pytest.skip("the snapshot has no CUDA 13 cudart/cublas record for linux-64")
    claims = cuda_wheel_claims(cuda13)
    assert claims and all(not name.endswith("-cu12") for name in claims)


def test_no_cuda_version_no_claims() -> None:
    class R:
        name, version, depends = "libcublas", "12.6.4.1", ()

    assert cuda_wheel_claims([R()]) == {}
