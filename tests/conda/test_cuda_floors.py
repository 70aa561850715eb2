"""Per-variant driver and GPU floors: `cuda: {version, driver, arch}` sets `__cuda` and
`__cuda_arch` for the solve, on a real local channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.conda.virtual import virtual_packages
from hybrid.devtools.local_channel import PackageSpec
from hybrid.spec.model import System
from tests.conda.helpers import explicit_lines, make_channel
from tests.conftest import RunCli


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_channel(
        tmp_path_factory.mktemp("floors") / "channel",
        [
            PackageSpec(name="cuda-version", version="12.8", constrains=("__cuda >=12",)),
            PackageSpec(name="new-kernels", version="1.0", subdir="linux-64",
                        depends=("__cuda >=12.8",)),
            PackageSpec(name="ampere-kernels", version="1.0", subdir="linux-64",
                        depends=("__cuda_arch >=8.0",)),
        ],
    )  # fmt: skip


def _spec(tmp_path: Path, channel: Path, cuda: str, package: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "version: 1\n"
        "name: floors\n"
        f"channels: ['{channel.as_uri()}']\n"
        "platforms: [linux-64]\n"
        f"cuda: {cuda}\n"
        f"conda:\n  - {package}\n",
        encoding="utf-8",
    )
    return path


def _names(system: dict[str, str | None]) -> dict[str, str]:
    return {v.name: v.version for v in virtual_packages("linux-64", System(), **system)}


def test_the_driver_floor_is_the_cuda_virtual_package() -> None:
    assert _names({"cuda": "12.4"})["__cuda"] == "12.4"
    assert "__cuda_arch" not in _names({"cuda": "12.4"})
    assert _names({"cuda": "12.4", "cuda_arch": "8.0"})["__cuda_arch"] == "8.0"


def test_no_cuda_virtual_packages_where_cuda_does_not_exist() -> None:
    found = {v.name for v in virtual_packages("osx-arm64", System(), cuda="12.4", cuda_arch="8.0")}
    assert not found & {"__cuda", "__cuda_arch"}


def test_the_version_is_the_driver_floor_by_default(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    result = run_cli("solve", _spec(tmp_path, channel, '"12.8"', "new-kernels"))
    assert result.exit_code == 0, result.output
    lock = tmp_path / "conda-linux-64.lock"
    assert "new-kernels" in [line.name for line in explicit_lines(lock)]


def test_an_older_driver_floor_rejects_packages_that_need_a_newer_driver(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, channel, '{version: "12.8", driver: "12.4"}', "new-kernels")
    result = run_cli("solve", spec)
    assert result.exit_code == 3, result.output
    print(result.stderr)
    assert "Traceback" not in result.output
    assert not (tmp_path / "conda-linux-64.lock").exists()


def test_the_missing_driver_is_restated_as_the_cuda_entry(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, channel, '[{version: "12.8", driver: "12.4"}, cpu]', "new-kernels")
    result = run_cli("solve", spec)
    assert result.exit_code == 3, result.output
    assert (
        f"{spec}:5:8: cuda[0] `12.8 (driver 12.4)`: the cuda-12.8 variant must run on drivers "
        "for CUDA 12.4 (`__cuda=12.4`), but new-kernels 1.0 needs `__cuda >=12.8`"
    ) in result.stderr


def test_a_driver_floor_that_suffices_solves(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, channel, '{version: "12.8", driver: "12.9"}', "new-kernels")
    assert run_cli("solve", spec).exit_code == 0


def test_the_arch_floor_is_the_cuda_arch_virtual_package(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, channel, '{version: "12.8", arch: "8.6"}', "ampere-kernels")
    result = run_cli("solve", spec)
    assert result.exit_code == 0, result.output
    assert "ampere-kernels" in [n.name for n in explicit_lines(tmp_path / "conda-linux-64.lock")]


@pytest.mark.parametrize("cuda", ['"12.8"', '{version: "12.8", arch: "7.5"}'])
def test_a_gpu_older_than_a_package_needs_is_named(
    run_cli: RunCli, channel: Path, tmp_path: Path, cuda: str
) -> None:
    result = run_cli("solve", _spec(tmp_path, channel, cuda, "ampere-kernels"))
    assert result.exit_code == 3, result.output
    assert "ampere-kernels 1.0 needs `__cuda_arch >=8.0`" in result.stderr
    assert f"{tmp_path / 'spec.yaml'}:5:7: cuda `12.8" in result.stderr


def test_a_floor_change_makes_check_report_stale_and_the_long_form_alone_does_not(
    run_cli: RunCli, channel: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, channel, '"12.8"', "new-kernels")
    assert run_cli("solve", spec).exit_code == 0
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace('cuda: "12.8"', 'cuda: {version: "12.8"}'), encoding="utf-8")
    assert run_cli("check", spec).exit_code == 0
    spec.write_text(text.replace('cuda: "12.8"', 'cuda: {version: "12.8", driver: "12.9"}'))
    stale = run_cli("check", spec)
    assert stale.exit_code == 4, stale.output
    assert "cuda: changed to `12.8 (driver 12.9)`" in stale.output
