"""environment files: channels, the conda specs, hybrid's pins, pip last; one complete file
per platform where platforms differ, never selector comments (conda reads none)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from hybrid.conda.model import CondaSolution, SolveRequest
from hybrid.emit.environment_yml import (
    platform_dependencies,
    render_environment_yml,
    shared_lines,
)
from hybrid.emit.header import Header, read_input_hash
from hybrid.spec import Spec, load_spec
from hybrid.spec.channels import resolve_channels
from hybrid.spec.matchspec import CondaMatchSpec, parse_match_spec
from hybrid.spec.variants import Variant
from tests.conda.golden import assert_golden
from tests.conftest import RunCli

GOLDEN = Path(__file__).parent / "golden" / "environment.yml"
INPUT_HASH = "sha256:" + "ab" * 32

SPEC = """\
version: 1
name: vision-lab
channels: [conda-forge, pytorch]
platforms: [linux-64, osx-64, osx-arm64, win-64]
python: "3.11"
conda:
  - numpy >=1.26,<2
  - scipy
  - {spec: pywin32, platforms: [win-64]}
  - {spec: "libcxx >=16", platforms: [osx-64, osx-arm64]}
  - {spec: everywhere-anyway, platforms: [linux-64, osx-64, osx-arm64, win-64]}
  - "numba[version='>=0.59']"
  - pytorch::torchvision
pip:
  - requests >=2.31
"""


@pytest.fixture
def spec(tmp_path: Path) -> Spec:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return load_spec(path)


def _solution(spec: Spec, platform: str) -> CondaSolution:
    """A platform's solution with no packages: no variant, so no build is read from it."""
    channels = resolve_channels(spec.channels, base_dir=spec.directory, mirrors={})
    request = SolveRequest(platform=platform, specs=(), channels=channels, virtual_packages=())
    return CondaSolution(request=request, packages=())


def _lines(spec: Spec, platform: str) -> list[str]:
    added = (CondaMatchSpec(name="python", version="3.11.*"), CondaMatchSpec(name="pip"))
    deps = platform_dependencies(spec, _solution(spec, platform), Variant(cuda=None), added)
    return [line.text for line in deps]


def _render(spec: Spec, platform: str = "win-64", pip_lines: tuple[str, ...] = ()) -> str:
    channels = resolve_channels(spec.channels, base_dir=spec.directory, mirrors={})
    header = Header(spec_name=spec.path.name, input_hash=INPUT_HASH)
    return render_environment_yml(
        spec, header, channels=channels, dependencies=_lines(spec, platform), pip_lines=pip_lines
    )


def test_golden(spec: Spec) -> None:
    text = _render(spec, pip_lines=("requests==2.32.3", "urllib3==2.2.3"))
    assert_golden(text, GOLDEN)


def test_it_reads_back_as_the_same_specs(spec: Spec) -> None:
    data = YAML(typ="safe").load(_render(spec, pip_lines=("requests==2.32.3",)))
    assert data["name"] == "vision-lab"
    assert data["channels"] == ["conda-forge", "pytorch"]
    assert data["dependencies"] == [
        "numpy >=1.26,<2",
        "scipy",
        "pywin32",
        "everywhere-anyway",
        "numba >=0.59",
        "pytorch::torchvision",
        "python 3.11.*",
        "pip",
        {"pip": ["requests==2.32.3"]},
    ]
    for line in data["dependencies"][:-1]:
        assert str(parse_match_spec(line)) == line


def test_each_platform_gets_only_its_entries_and_no_selectors(spec: Spec) -> None:
    linux, osx, win = (_lines(spec, p) for p in ("linux-64", "osx-arm64", "win-64"))
    assert "pywin32" in win and "pywin32" not in linux + osx
    assert "libcxx >=16" in osx and "libcxx >=16" not in linux + win
    assert "everywhere-anyway" in linux and "everywhere-anyway" in osx
    assert not any("#" in line for line in linux + osx + win)


def test_the_shared_file_keeps_what_every_platform_has(spec: Spec) -> None:
    added = (CondaMatchSpec(name="python", version="3.11.*"),)
    per_platform = [
        platform_dependencies(spec, _solution(spec, p), Variant(cuda=None), added)
        for p in spec.platforms
    ]
    assert shared_lines(per_platform) == [
        "numpy >=1.26,<2",
        "scipy",
        "everywhere-anyway",
        "numba >=0.59",
        "pytorch::torchvision",
        "python 3.11.*",
    ]


def test_header_carries_the_input_hash(spec: Spec) -> None:
    text = _render(spec)
    assert read_input_hash(text.splitlines()) == INPUT_HASH
    assert text.endswith("\n") and "\r" not in text


def test_pip_comes_last(spec: Spec) -> None:
    lines = _render(spec, pip_lines=("requests==2.32.3",)).splitlines()
    assert lines[-3:] == ["  - pip", "  - pip:", "      - requests==2.32.3"]


def _body(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]


def test_through_the_cli(run_cli: RunCli, demo_channel: Path, tmp_path: Path) -> None:
    """A platform-limited entry: a shared file plus one complete file per platform."""
    path = tmp_path / "spec.yaml"
    path.write_text(
        "version: 1\n"
        "name: demo\n"
        "channels: [hybrid-demo]\n"
        "platforms: [linux-64, win-64]\n"
        'python: "3.11"\n'
        "conda:\n"
        "  - numpy >=1.26\n"
        "  - {spec: tzdata, platforms: [win-64]}\n",
        encoding="utf-8",
    )
    result = run_cli("solve", path, "--mirror", f"hybrid-demo={demo_channel}")
    assert result.exit_code == 0, result.output
    head = ["name: demo", "channels:", "  - hybrid-demo", "dependencies:"]
    assert _body(tmp_path / "environment.yml") == [*head, "  - numpy >=1.26", "  - python 3.11.*"]
    assert _body(tmp_path / "environment-linux-64.yml") == _body(tmp_path / "environment.yml")
    assert _body(tmp_path / "environment-win-64.yml") == [
        *head,
        "  - numpy >=1.26",
        "  - tzdata",
        "  - python 3.11.*",
    ]
