"""environment.yml: channels, the conda specs as written, hybrid's pins, selectors, pip last."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from hybrid.conda.channels import resolve_channels
from hybrid.emit.environment_yml import render_environment_yml
from hybrid.emit.header import Header, read_input_hash
from hybrid.spec import Spec, load_spec
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


def _render(spec: Spec, pip_lines: tuple[str, ...] = ()) -> str:
    channels = resolve_channels(spec.channels, base_dir=spec.directory, mirrors={})
    header = Header(spec_name=spec.path.name, input_hash=INPUT_HASH)
    return render_environment_yml(
        spec, header, channels=channels, added=["python 3.11.*", "pip"], pip_lines=pip_lines
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
        "libcxx >=16",
        "everywhere-anyway",
        "numba[version='>=0.59']",
        "pytorch::torchvision",
        "python 3.11.*",
        "pip",
        {"pip": ["requests==2.32.3"]},
    ]


def test_selectors_name_only_the_limited_platforms(spec: Spec) -> None:
    lines = _render(spec).splitlines()
    assert "  - pywin32  # [win64]" in lines
    assert "  - libcxx >=16  # [osx64 or arm64]" in lines
    assert "  - everywhere-anyway" in lines  # all platforms: no selector


def test_header_carries_the_input_hash(spec: Spec) -> None:
    text = _render(spec)
    assert read_input_hash(text.splitlines()) == INPUT_HASH
    assert text.endswith("\n") and "\r" not in text


def test_pip_comes_last(spec: Spec) -> None:
    lines = _render(spec, pip_lines=("requests==2.32.3",)).splitlines()
    assert lines[-3:] == ["  - pip", "  - pip:", "      - requests==2.32.3"]


def test_through_the_cli(run_cli: RunCli, demo_channel: Path, tmp_path: Path) -> None:
    """The solve writes the same document: specs as written plus the `python 3.11.*` pin."""
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
    lines = (tmp_path / "environment.yml").read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#")]
    assert body == [
        "name: demo",
        "channels:",
        "  - hybrid-demo",
        "dependencies:",
        "  - numpy >=1.26",
        "  - tzdata  # [win64]",
        "  - python 3.11.*",
    ]
