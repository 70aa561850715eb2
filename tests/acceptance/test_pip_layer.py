"""Issue acceptance: conda pytorch + numpy with pip accelerate + transformers, on the real
snapshot channel and the real package index; the cross-layer conflict; the guards."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult, RunCli, WriteSpec

pytestmark = [pytest.mark.network, pytest.mark.snapshot]

HF_SPEC = """\
version: 1
name: hf
channels: [conda-forge]
platforms: [linux-64, osx-arm64]
python: "3.11"
conda:
  - pytorch
  - numpy
pip:
  - accelerate
  - transformers
"""
SIX = 'platforms: [{platform}]\npython: "3.11"\nconda:\n  - numpy\npip:\n  - six\n'
FORBIDDEN = re.compile(r"^(torch|numpy|triton|nvidia-[a-z0-9-]+)(==| @)", re.MULTILINE)


def _args(shared_channels: Path, shared_mapping: Path) -> list[str]:
    return [
        "--mirror",
        f"conda-forge={shared_channels / 'conda-forge'}",
        "--pypi-mapping",
        str(shared_mapping),
    ]


Solve = Callable[..., tuple[Path, CliResult]]
HEAD = "version: 1\nname: t\nchannels: [conda-forge]\n"


@pytest.fixture
def solve(
    run_cli: RunCli,
    write_spec: WriteSpec,
    shared_channels: Path,
    shared_mapping: Path,
) -> Solve:
    """Write a spec (after the common head) and `hybrid solve` it on the snapshot."""

    def run(body: str, *extra: str) -> tuple[Path, CliResult]:
        spec = write_spec(HEAD + body)
        return spec, run_cli("solve", spec, *_args(shared_channels, shared_mapping), *extra)

    return run


@pytest.fixture(scope="module")
def hf_outputs(
    tmp_path_factory: pytest.TempPathFactory, shared_channels: Path, shared_mapping: Path
) -> Path:
    from tests.conftest import main_in_process

    directory = tmp_path_factory.mktemp("hf")
    spec = directory / "spec.yaml"
    spec.write_text(HF_SPEC, encoding="utf-8")
    result = main_in_process("solve", spec, *_args(shared_channels, shared_mapping))
    assert result.exit_code == 0, result.output
    return directory


def test_pip_layer_never_contains_what_conda_provides(hf_outputs: Path) -> None:
    text = (hf_outputs / "requirements.txt").read_text(encoding="utf-8")
    assert FORBIDDEN.findall(text) == []
    assert re.search(r"^accelerate==", text, re.MULTILINE)
    assert re.search(r"^transformers==", text, re.MULTILINE)
    assert "--hash=sha256:" in text


def test_environment_yml_lists_pip_last_after_pip(hf_outputs: Path) -> None:
    lines = (hf_outputs / "environment.yml").read_text(encoding="utf-8").splitlines()
    deps = lines[lines.index("dependencies:") + 1 :]
    assert deps[: deps.index("  - pip:")][-1] == "  - pip"
    pip_items = deps[deps.index("  - pip:") + 1 :]
    assert pip_items and all(item.startswith("      - ") for item in pip_items)
    assert not any(FORBIDDEN.match(item.removeprefix("      - ")) for item in pip_items)


def test_requirement_hashes_verify_on_download(hf_outputs: Path) -> None:
    """Download the wheels of two small pins from the index and check their sha256."""
    text = (hf_outputs / "requirements.txt").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"^(\S+)==\S+ \\\n((?:    --hash=sha256:\w+(?: \\)?\n)+)", text, re.M))
    for name in ("accelerate", "tqdm"):
        hashes = set(re.findall(r"sha256:(\w+)", blocks[name]))
        version = re.search(rf"^{name}==(\S+)", text, re.M)
        assert version is not None
        url = _wheel_url(name, version.group(1))
        with urllib.request.urlopen(url, timeout=60) as response:
            digest = hashlib.sha256(response.read()).hexdigest()
        assert digest in hashes, f"{name}: downloaded {digest} not among {hashes}"


def _wheel_url(name: str, version: str) -> str:
    request = urllib.request.Request(
        f"https://pypi.org/simple/{name}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    for entry in files:
        if entry["filename"].endswith(".whl") and f"-{version}-" in entry["filename"]:
            return str(entry["url"])
    raise AssertionError(f"no wheel of {name} {version} on the index")


def test_cross_layer_conflict_is_explained(solve: Solve) -> None:
    spec, result = solve(
        'platforms: [linux-64]\npython: "3.11"\nconda:\n  - numpy 1.26.*\n'
        "pip:\n  - opencv-python>=4.12\n"
    )
    assert result.exit_code == 3, result.output
    assert "opencv-python>=4.12" in result.stderr
    assert "numpy 1.26.4 from the conda layer" in result.stderr
    assert "linux-64" in result.stderr
    assert "relax the conda spec" in result.stderr
    assert not (spec.parent / "requirements.txt").exists()


def test_same_package_in_both_layers_is_refused(solve: Solve) -> None:
    spec, result = solve(
        'platforms: [linux-64]\npython: "3.11"\nconda:\n  - pytorch\npip:\n  - torch>=2\n'
    )
    assert result.exit_code == 2
    assert f"{spec}:9:5: pip[0] `torch>=2`" in result.stderr
    assert f"{spec}:7:5: conda[0] `pytorch`" in result.stderr
    assert "Traceback" not in result.output


def test_pip_deps_without_python_get_python_and_pip(solve: Solve) -> None:
    spec, result = solve("platforms: [linux-64]\nconda:\n  - numpy\npip:\n  - six\n")
    assert result.exit_code == 0, result.output
    assert "adds `python`" in result.stderr
    explicit = (spec.parent / "conda-linux-64.lock").read_text(encoding="utf-8")
    assert "/python-3." in explicit
    assert "/pip-" in explicit
    assert re.search(r"^six==", (spec.parent / "requirements.txt").read_text(), re.M)


def test_credentials_never_reach_an_output(solve: Solve) -> None:
    spec, result = solve(
        SIX.format(platform="linux-64")
        + "pip-index:\n  index-url: https://lab-user:s3cr3t-token@pypi.org/simple\n"
    )
    assert result.exit_code == 0, result.output
    assert "s3cr3t-token" not in result.output
    for path in spec.parent.iterdir():
        if path.name != "spec.yaml":
            assert "s3cr3t-token" not in path.read_text(encoding="utf-8"), path
    assert "--index-url https://pypi.org/simple" in (spec.parent / "requirements.txt").read_text()


def _package_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted(line for line in lines if line and not line.startswith(("#", "@")))


def test_conda_lock_yml_reads_back_and_renders_our_explicit_files(
    hf_outputs: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from conda_lock.lockfile import parse_conda_lock_file

    lockfile = parse_conda_lock_file(hf_outputs / "conda-lock.yml")
    assert set(lockfile.metadata.platforms) == {"linux-64", "osx-arm64"}
    requirements = (hf_outputs / "requirements.txt").read_text(encoding="utf-8")
    pins = dict(re.findall(r"^(\S+)==(\S+) ", requirements, re.M))
    for platform in ("linux-64", "osx-arm64"):
        pip = {
            p.name: p.version
            for p in lockfile.package
            if p.manager == "pip" and p.platform == platform
        }
        assert pip == pins
    conda_lock = Path(sys.executable).with_name("conda-lock")
    subprocess.run(
        [
            str(conda_lock),
            "render",
            "-k",
            "explicit",
            "-p",
            "linux-64",
            "-p",
            "osx-arm64",
            str(hf_outputs / "conda-lock.yml"),
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    for platform in ("linux-64", "osx-arm64"):
        rendered = _package_lines(tmp_path / f"conda-{platform}.lock")
        ours = _package_lines(hf_outputs / f"conda-{platform}.lock")
        assert rendered == ours
