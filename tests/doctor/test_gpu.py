"""`hybrid doctor --gpu` on a prefix really installed from the demo channel, on this machine
(no NVIDIA driver in CI): the driver is reported missing, CUDA runtimes from both layers are a
finding, and the lock's variant is read from the outputs' `variant` header line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hybrid.doctor.conda_meta import read_conda_meta
from hybrid.doctor.gpu import TWO_CUDA_RUNTIMES, cuda_runtimes, driver_cuda_version, lock_variant
from tests.cli.test_doctor import DEMO_SITE, demo_env  # noqa: F401  (the fixture)
from tests.conftest import RunCli

no_driver = pytest.mark.skipif(
    driver_cuda_version()[0] is not None, reason="this machine has an NVIDIA driver"
)


def _conda_cudart(prefix: Path) -> None:
    """A conda package that ships libcudart, as cuda-cudart does, with its conda-meta record."""
    lib = prefix / "lib" / "libcudart.so.12.6.77"
    lib.parent.mkdir(exist_ok=True)
    lib.write_bytes(b"\x7fELF")
    record = {"name": "cuda-cudart", "version": "12.6.77", "build": "h0_0",
              "files": ["lib/libcudart.so.12.6.77"], "depends": []}  # fmt: skip
    (prefix / "conda-meta" / "cuda-cudart-12.6.77-h0_0.json").write_text(json.dumps(record))


def _pip_cudart(prefix: Path) -> None:
    """What `pip install nvidia-cuda-runtime-cu12` puts in site-packages."""
    lib = prefix / DEMO_SITE / "nvidia" / "cuda_runtime" / "lib" / "libcudart.so.12"
    lib.parent.mkdir(parents=True)
    lib.write_bytes(b"\x7fELF")


@no_driver
def test_without_a_gpu_it_says_so_and_exits_0(
    run_cli: RunCli, demo_env: tuple[Path, Path]  # noqa: F811
) -> None:
    prefix, outputs = demo_env
    result = run_cli("doctor", prefix, "--lock", outputs, "--gpu")
    assert result.exit_code == 0, result.output
    assert "gpu: no GPU driver found" in result.stdout
    assert "gpu: no CUDA runtime (libcudart) in the environment" in result.stdout
    report = json.loads(run_cli("doctor", prefix, "--gpu", "--json").stdout)
    assert report["gpu"]["driver"] is None and report["gpu"]["fits"] is None
    assert "gpu" in report["checked"]


def test_one_runtime_in_one_layer_is_fine(
    run_cli: RunCli, demo_env: tuple[Path, Path]  # noqa: F811
) -> None:
    prefix, _ = demo_env
    _conda_cudart(prefix)
    result = run_cli("doctor", prefix, "--gpu", "--json")
    report = json.loads(result.stdout)
    assert [r["layer"] for r in report["gpu"]["runtimes"]] == ["conda cuda-cudart"]
    assert TWO_CUDA_RUNTIMES not in [f["code"] for f in report["findings"]]


def test_cuda_runtimes_from_both_layers_are_a_finding(
    run_cli: RunCli, demo_env: tuple[Path, Path]  # noqa: F811
) -> None:
    prefix, _ = demo_env
    _conda_cudart(prefix)
    _pip_cudart(prefix)
    records, _ = read_conda_meta(prefix)
    found = cuda_runtimes(records, [prefix / DEMO_SITE])
    assert [(r.layer, r.major) for r in found] == [("conda cuda-cudart", "12"), ("pip", "12")]
    result = run_cli("doctor", prefix, "--gpu", "--json")
    assert result.exit_code == 1, result.output
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert codes == [TWO_CUDA_RUNTIMES]
    shutil.rmtree(prefix / DEMO_SITE / "nvidia")
    assert run_cli("doctor", prefix, "--gpu").exit_code == 0


def test_the_lock_variant_is_read_from_the_header(tmp_path: Path) -> None:
    (tmp_path / "environment.yml").write_text("# variant: cuda-12.6\nname: x\n")
    assert lock_variant(tmp_path) == ("cuda-12.6", "12.6")
    (tmp_path / "environment.yml").write_text("# variant: cpu\nname: x\n")
    assert lock_variant(tmp_path) == ("cpu", None)
    assert lock_variant(tmp_path / "missing") == (None, None)
