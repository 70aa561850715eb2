"""Issue acceptance: the specs labs write solve on the real snapshot, in conda's grammar,
and every environment file hybrid writes is one conda can use as it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rattler
from ruamel.yaml import YAML

from hybrid.conda.cuda import CUDA_BUILD, NOT_CUDA_BUILD, is_cuda_build
from hybrid.spec.matchspec import parse_match_spec
from tests.conftest import RunCli, WriteSpec

pytestmark = pytest.mark.snapshot


def _mirrors(shared: Path, *names: str) -> list[str]:
    return [arg for name in names for arg in ("--mirror", f"{name}={shared / name}")]


def _lock_urls(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if "://" in line]


def _solved(run_cli: RunCli, spec: Path, shared: Path, *channels: str) -> Path:
    """Solve `spec` with `channels` read from the snapshot; the directory of its outputs."""
    result = run_cli("solve", spec, *_mirrors(shared, *(channels or ("conda-forge",))))
    assert result.exit_code == 0, result.output
    return spec.parent


def _dependencies(path: Path) -> list[str]:
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return [d for d in data["dependencies"] if isinstance(d, str)]


def test_full_pins_as_the_readme_and_conda_env_export_write_them(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        'version: 1\nname: pins\nplatforms: [linux-64, osx-arm64]\npython: "3.11.9"\n'
        "conda:\n  - numpy 2.1.3\n  - pandas=2.2.3\n  - scipy==1.14.1\n"
    )
    assert run_cli("validate", spec).exit_code == 0
    _solved(run_cli, spec, shared_channels, "conda-forge")
    for platform in ("linux-64", "osx-arm64"):
        urls = _lock_urls(spec.parent / f"conda-{platform}.lock")
        for package in ("python-3.11.9-", "numpy-2.1.3-", "pandas-2.2.3-", "scipy-1.14.1-"):
            assert any(f"/{package}" in url for url in urls), (platform, package)
    lines = _dependencies(spec.parent / "environment.yml")
    assert lines == ["numpy ==2.1.3", "pandas 2.2.3.*", "scipy ==1.14.1", "python ==3.11.9"]


def test_a_pytorch_channel_build_with_dots(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        "version: 1\nname: pt\nchannels: [pytorch, nvidia, conda-forge]\nplatforms: [linux-64]\n"
        "conda:\n  - pytorch 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0\n"
    )
    _solved(run_cli, spec, shared_channels, "pytorch", "nvidia", "conda-forge")
    urls = _lock_urls(spec.parent / "conda-linux-64.lock")
    assert any("/pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.tar.bz2" in url for url in urls)
    assert _dependencies(spec.parent / "environment.yml") == [
        "pytorch ==2.1.0 py3.10_cuda12.1_cudnn8.9.2_0"
    ]


def test_a_channel_qualified_spec_read_through_a_mirror(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        'version: 1\nname: q\nplatforms: [linux-64]\npython: "3.12"\n'
        "conda:\n  - conda-forge::numpy >=2\n"
    )
    _solved(run_cli, spec, shared_channels, "conda-forge")
    urls = _lock_urls(spec.parent / "conda-linux-64.lock")
    assert any(
        u.startswith("https://conda.anaconda.org/conda-forge/") and "/numpy-2" in u for u in urls
    )
    assert "conda-forge::numpy >=2" in _dependencies(spec.parent / "environment.yml")


def test_pytorch_channel_cuda_builds_named_cu121_are_cuda_builds(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        "version: 1\nname: pt\nchannels: [pytorch, nvidia, conda-forge]\nplatforms: [linux-64]\n"
        'cuda: "12.1"\nconda:\n  - pytorch 2.1.0\n  - torchvision 0.16.*\n'
    )
    _solved(run_cli, spec, shared_channels, "pytorch", "nvidia", "conda-forge")
    urls = _lock_urls(spec.parent / "conda-linux-64.lock")
    torchvision = [u for u in urls if "/torchvision-0.16" in u]
    assert len(torchvision) == 1 and "_cu121" in torchvision[0]
    lines = _dependencies(spec.parent / "environment.yml")
    assert lines[:2] == ["pytorch ==2.1.0 *cuda*", "torchvision 0.16.* *_cu*"]
    for line in lines:
        assert parse_match_spec(line)  # each line reads back as a match spec


def test_a_cuda_variant_line_without_a_space_stays_a_valid_spec(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        'version: 1\nname: gpu\nplatforms: [linux-64]\npython: "3.11"\n'
        'cuda: "12.6"\nconda:\n  - pytorch>=2.4\n'
    )
    _solved(run_cli, spec, shared_channels, "conda-forge")
    lines = _dependencies(spec.parent / "environment.yml")
    assert lines[0] == "pytorch >=2.4 *cuda*"
    assert rattler.MatchSpec(lines[0], strict=True).build == "*cuda*"


def test_platform_limited_entries_get_their_own_complete_files(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        'version: 1\nname: win\nplatforms: [linux-64, win-64]\npython: "3.11"\n'
        "conda:\n  - numpy\n  - {spec: pywin32, platforms: [win-64]}\n"
    )
    _solved(run_cli, spec, shared_channels, "conda-forge")
    texts = {p.name: p.read_text(encoding="utf-8") for p in spec.parent.glob("environment*.yml")}
    assert set(texts) == {"environment.yml", "environment-linux-64.yml", "environment-win-64.yml"}
    assert not any("# [" in text for text in texts.values())  # no selector comments
    assert _dependencies(spec.parent / "environment.yml") == ["numpy", "python 3.11.*"]
    assert "pywin32" not in _dependencies(spec.parent / "environment-linux-64.yml")
    assert "pywin32" in _dependencies(spec.parent / "environment-win-64.yml")


def test_no_python_in_the_channels_is_named_as_the_cause(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
) -> None:
    spec = write_spec(
        'version: 1\nname: nv\nchannels: [nvidia]\nplatforms: [linux-64]\npython: "3.11"\n'
        "conda:\n  - cuda-cudart\n"
    )
    result = run_cli("solve", spec, *_mirrors(shared_channels, "nvidia"))
    assert result.exit_code == 3
    assert "the channel list is the cause: no channel (nvidia) has any `python`" in result.stderr
    assert "spec.yaml:5:9: python `3.11`" in result.stderr


def test_the_cuda_patterns_agree_with_the_classifier_on_every_snapshot_build(
    shared_channels: Path,
) -> None:
    builds: set[str] = set()
    for repodata in shared_channels.glob("*/*/repodata.json"):
        data = json.loads(repodata.read_text(encoding="utf-8"))
        for key in ("packages", "packages.conda"):
            builds.update(r["build"] for r in data.get(key, {}).values() if r["build"])
    cuda = rattler.MatchSpec(f'x[build="{CUDA_BUILD}"]', strict=True)
    not_cuda = rattler.MatchSpec(f'x[build="{NOT_CUDA_BUILD}"]', strict=True)
    kinds = {True: 0, False: 0}
    for build in sorted(builds):
        record = rattler.PackageRecord(
            name="x",
            version="1",
            build=rattler.BuildString(build),
            build_number=0,
            subdir="linux-64",
        )
        expected = is_cuda_build(build)
        kinds[expected] += 1
        assert cuda.matches(record) is expected, build
        assert not_cuda.matches(record) is not expected, build
    assert kinds[True] > 100 and kinds[False] > 10_000
