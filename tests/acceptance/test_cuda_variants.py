"""Issue acceptance: CUDA variant matrices on the real snapshot, and the cpu-variant guard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hybrid.devtools.local_channel import PackageSpec, build_channel
from tests.conftest import CliResult, RunCli, WriteSpec

CUDA_PACKAGE = re.compile(
    r"/(cuda-[^/]*|cudatoolkit-|cudnn-|nccl-|libcublas|libcufft|libcurand|libcusolver|libcusparse"
    r"|libnvjitlink|pytorch-cuda-)[^/]*$|cuda\d*[_.]"
)


def _lock_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if "://" in line]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory, shared_channels: Path) -> Path:
    from tests.conftest import main_in_process

    directory = tmp_path_factory.mktemp("matrix")
    spec = directory / "spec.yaml"
    spec.write_text(
        "version: 1\nname: gpu\nchannels: [conda-forge]\nplatforms: [linux-64, osx-arm64]\n"
        'python: "3.11"\ncuda: [cpu, "12.6"]\nconda:\n  - pytorch\n  - numpy\n',
        encoding="utf-8",
    )
    result = main_in_process(
        "solve", spec, "--mirror", f"conda-forge={shared_channels / 'conda-forge'}"
    )
    assert result.exit_code == 0, result.output
    assert "osx-arm64 has no CUDA" in result.stderr
    return directory


@pytest.mark.snapshot
def test_each_variant_gets_its_own_output_set(matrix: Path) -> None:
    for variant in ("cpu", "cuda-12.6"):
        names = sorted(p.name for p in (matrix / variant).iterdir())
        assert names == [
            "conda-linux-64.lock",
            "conda-lock.yml",
            "conda-osx-arm64.lock",
            "environment-linux-64.yml",
            "environment-osx-arm64.yml",
            "environment.yml",
        ]
    assert not (matrix / "conda-linux-64.lock").exists()


@pytest.mark.snapshot
def test_cuda_variant_has_a_cuda_pytorch_and_cuda_version(matrix: Path) -> None:
    lines = _lock_lines(matrix / "cuda-12.6" / "conda-linux-64.lock")
    pytorch = [line for line in lines if "/pytorch-2" in line]
    assert len(pytorch) == 1 and "cuda126" in pytorch[0], pytorch
    assert any("/cuda-version-12.6-" in line for line in lines)
    linux = (matrix / "cuda-12.6" / "environment-linux-64.yml").read_text(encoding="utf-8")
    assert "  - pytorch * *cuda*\n" in linux
    assert "  - cuda-version 12.6.*" in linux
    osx = (matrix / "cuda-12.6" / "environment-osx-arm64.yml").read_text(encoding="utf-8")
    assert "  - pytorch * *cpu*\n" in osx
    assert "cuda-version" not in osx
    # The shared file keeps what both platforms have, without a build neither can share.
    shared = (matrix / "cuda-12.6" / "environment.yml").read_text(encoding="utf-8")
    assert "  - pytorch\n  - numpy\n" in shared
    assert "cuda-version" not in shared


@pytest.mark.snapshot
def test_environment_yml_carries_the_build_constraint(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        "version: 1\nname: gpu\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
        'python: "3.11"\ncuda: [cpu, "12.6"]\nconda:\n  - pytorch >=2.4\n  - numpy\n'
    )
    result = run_cli("solve", spec, "--mirror", f"conda-forge={shared_channels / 'conda-forge'}")
    assert result.exit_code == 0, result.output
    cuda = (spec.parent / "cuda-12.6" / "environment.yml").read_text(encoding="utf-8")
    cpu = (spec.parent / "cpu" / "environment.yml").read_text(encoding="utf-8")
    assert "  - pytorch >=2.4 *cuda*\n  - numpy\n" in cuda
    assert "  - pytorch >=2.4 *cpu*\n  - numpy\n" in cpu


@pytest.mark.snapshot
def test_cuda_variant_on_macos_uses_cpu_builds(matrix: Path) -> None:
    lines = _lock_lines(matrix / "cuda-12.6" / "conda-osx-arm64.lock")
    assert not [line for line in lines if CUDA_PACKAGE.search(line)]


@pytest.mark.snapshot
def test_cpu_variant_has_not_a_single_cuda_package(matrix: Path) -> None:
    for platform in ("linux-64", "osx-arm64"):
        lines = _lock_lines(matrix / "cpu" / f"conda-{platform}.lock")
        assert any("/pytorch-2" in line and "cpu_" in line for line in lines)
        assert not [line for line in lines if CUDA_PACKAGE.search(line)]


@pytest.mark.snapshot
def test_pytorch_channel_gets_pytorch_cuda(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        "version: 1\nname: pt\nchannels: [pytorch, nvidia, conda-forge]\nplatforms: [linux-64]\n"
        'python: "3.11"\ncuda: "12.1"\nconda:\n  - pytorch\n'
    )
    mirrors = [
        arg
        for name in ("pytorch", "nvidia", "conda-forge")
        for arg in ("--mirror", f"{name}={shared_channels / name}")
    ]
    result = run_cli("solve", spec, *mirrors)
    assert result.exit_code == 0, result.output
    lines = _lock_lines(spec.parent / "conda-linux-64.lock")
    assert any("conda.anaconda.org/pytorch/linux-64/pytorch-cuda-12.1-" in x for x in lines)
    torch = [x for x in lines if "/pytorch/linux-64/pytorch-2" in x]
    assert len(torch) == 1 and "cuda12.1" in torch[0]


@pytest.mark.snapshot
def test_require_cuda_refuses_macos(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        "version: 1\nname: g\nchannels: [conda-forge]\nplatforms: [linux-64, osx-arm64]\n"
        'python: "3.11"\ncuda: "12.6"\nconda:\n  - pytorch\n'
    )
    mirror = f"conda-forge={shared_channels / 'conda-forge'}"
    result = run_cli("solve", spec, "--mirror", mirror, "--require-cuda")
    assert result.exit_code == 3
    assert "osx-arm64 has no CUDA" in result.stderr
    assert not (spec.parent / "conda-linux-64.lock").exists()


def _torchy_channel(root: Path, *, cpu_needs_cuda: bool) -> Path:
    depends = ("cuda-cudart >=12",) if cpu_needs_cuda else ()
    return build_channel(
        root,
        [
            PackageSpec(name="cuda-cudart", version="12.6.77", subdir="linux-64", timestamp=1),
            PackageSpec(name="cuda-version", version="12.4", timestamp=1),
            PackageSpec(name="cuda-version", version="12.6", timestamp=1),
            PackageSpec(
                name="pytorch",
                version="2.6.0",
                build="cpu_0",
                subdir="linux-64",
                depends=depends,
                timestamp=1,
            ),
            PackageSpec(
                name="pytorch",
                version="2.6.0",
                build="cuda126_0",
                subdir="linux-64",
                depends=("cuda-cudart >=12", "cuda-version 12.6.*", "__cuda"),
                timestamp=1,
            ),
        ],
    )


def _solve_torchy(
    run_cli: RunCli,
    write_spec: WriteSpec,
    tmp_path: Path,
    *,
    cuda: str,
    cpu_needs_cuda: bool,
) -> tuple[Path, CliResult]:
    """Solve `pytorch` for linux-64 in variant `cuda` on the generated two-build channel."""
    channel = _torchy_channel(tmp_path / "channel", cpu_needs_cuda=cpu_needs_cuda)
    spec = write_spec(
        f"version: 1\nname: t\nchannels: ['{channel}']\nplatforms: [linux-64]\n"
        f'cuda: "{cuda}"\nconda:\n  - pytorch\n'
    )
    return spec, run_cli("solve", spec)


def test_cpu_variant_refuses_cuda_packages_the_metadata_lets_in(
    run_cli: RunCli,
    write_spec: WriteSpec,
    tmp_path: Path,
) -> None:
    _, result = _solve_torchy(run_cli, write_spec, tmp_path, cuda="cpu", cpu_needs_cuda=True)
    assert result.exit_code == 3
    assert "cpu variant for linux-64 would install CUDA packages" in result.stderr
    assert "cuda-cudart 12.6.77" in result.stderr
    assert "needed by pytorch" in result.stderr


def test_cuda_variant_never_falls_back_to_a_cpu_build(
    run_cli: RunCli,
    write_spec: WriteSpec,
    tmp_path: Path,
) -> None:
    _, result = _solve_torchy(run_cli, write_spec, tmp_path, cuda="12.4", cpu_needs_cuda=False)
    assert result.exit_code == 3
    assert "accepts only CUDA builds of pytorch" in result.stderr


def test_cuda_variant_picks_the_cuda_build(
    run_cli: RunCli,
    write_spec: WriteSpec,
    tmp_path: Path,
) -> None:
    spec, result = _solve_torchy(run_cli, write_spec, tmp_path, cuda="12.6", cpu_needs_cuda=False)
    assert result.exit_code == 0, result.output
    lines = _lock_lines(spec.parent / "conda-linux-64.lock")
    assert any("pytorch-2.6.0-cuda126_0" in line for line in lines)
