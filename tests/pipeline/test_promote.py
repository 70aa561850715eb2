"""`promote:`, end to end on local channels and a local package index (no network): pip-layer
packages that must come from conda move to the conda layer and both layers are solved again;
`off` refuses as the guards always did; a listed name moves even when pure Python; a package
conda has no build of exits 3 naming it, what it is coupled to and the ways out; a move that
does not take the package out of the pip layer ends the loop with an error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hybrid.devtools.local_channel import PackageSpec
from tests.conda.helpers import make_channel
from tests.conftest import CliResult, RunCli, WriteSpec
from tests.pypi.html_index import serve_html_index, wheel

ANY = "py3-none-any"
LINUX = "py3-none-manylinux_2_28_x86_64"
PY = "python >=3.11,<3.12"


def _lab_packages() -> list[PackageSpec]:
    """A conda channel with a torch-like pair, CUDA libraries and a pure-Python package; no
    torchaudio, no libcurand."""
    return [
        PackageSpec(name="pytorch", version="2.5.1", subdir="linux-64", depends=(PY,)),
        PackageSpec(name="pytorch", version="2.6.0", subdir="linux-64", depends=(PY,)),
        PackageSpec(name="torchvision", version="0.20.1", subdir="linux-64",
                    depends=(PY, "pytorch >=2.5,<2.6")),
        PackageSpec(name="torchvision", version="0.19.1", subdir="linux-64",
                    depends=(PY, "pytorch >=2.4,<2.5")),
        PackageSpec(name="cuda-version", version="12.6", build="3"),
        PackageSpec(name="cuda-cudart", version="12.6.77", subdir="linux-64",
                    depends=("cuda-version >=12.6,<12.7.0a0",)),
        PackageSpec(name="libcufft", version="11.3.0.4", subdir="linux-64",
                    depends=("cuda-version >=12.6,<12.7.0a0",)),
        PackageSpec(name="labtqdm", version="4.66.0", noarch="python", depends=("python",)),
        # installs no Python distribution as far as any mapping knows
        PackageSpec(name="labdata", version="1.0", subdir="linux-64"),
    ]


@pytest.fixture(scope="module")
def lab_channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_channel(tmp_path_factory.mktemp("lab"), _lab_packages())


@dataclass(frozen=True)
class Index:
    """An empty index (so uv asks no other) and the wheels as find-links (so the pins'
    metadata, and the ranges pip needed, are readable from the files)."""

    url: str
    wheels: Path


WHEELS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("labtimm", "1.0", ANY, ("torchvision", "labtqdm>=4.60")),
    ("labtqdm", "4.67.0", ANY, ()),
    ("torchvision", "0.20.1", LINUX, ("torch==2.5.1",)),
    ("torchvision", "0.21.0", LINUX, ("torch==2.6.0",)),
    ("torch", "2.5.1", LINUX, ()),
    ("labaudio", "1.0", ANY, ("torchaudio",)),
    ("torchaudio", "2.6.0", LINUX, ("torch==2.6.0",)),
    ("gpukit", "1.0", LINUX, ("nvidia-cufft-cu12>=11.2",)),
    ("nvidia_cufft_cu12", "11.3.0.4", LINUX, ()),
    ("randkit", "1.0", LINUX, ("nvidia-curand-cu12",)),
    ("nvidia_curand_cu12", "10.3.7.77", LINUX, ()),
    ("labdata", "1.0", ANY, ()),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    files = tmp_path_factory.mktemp("wheels")
    for name, version, tag, requires in WHEELS:
        wheel(files, name, version, tag, requires)
    with serve_html_index([]) as empty:
        yield Index(url=empty.url, wheels=files)


def _spec(write_spec: WriteSpec, index: Index, conda: list[str], pip: list[str],
          promote: str = "") -> Path:
    lines = [
        "version: 1", "name: lab", "channels: [lab, hybrid-demo]", "platforms: [linux-64]",
        'python: "3.11"', "conda:", *(f"  - {c}" for c in conda), "pip:",
        *(f"  - {p}" for p in pip), "pip-index:", f"  index-url: {index.url}",
        f"  find-links: [{index.wheels}]",
    ]
    if promote:
        lines.append(f"promote: {promote}")
    return write_spec("\n".join(lines) + "\n")


def _solve(run_cli: RunCli, spec: Path, lab: Path, demo: Path, *extra: str) -> CliResult:
    return run_cli("solve", spec, "--mirror", f"lab={lab}", "--mirror", f"hybrid-demo={demo}",
                   *extra)


def _pins(spec: Path) -> list[str]:
    text = (spec.parent / "requirements.txt").read_text(encoding="utf-8")
    return [line.split("==")[0] for line in text.splitlines() if "==" in line]


def _conda_files(spec: Path) -> list[str]:
    text = (spec.parent / "conda-linux-64.lock").read_text(encoding="utf-8")
    return [line.split("#")[0].rsplit("/", 1)[1] for line in text.splitlines()
            if line.startswith("https://")]


def test_a_coupled_wheel_moves_to_conda_with_its_range_and_is_reported(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["pytorch"], ["labtimm", "torchvision>=0.20"])
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 0, result.output
    assert "torchvision" not in _pins(spec) and "torch" not in _pins(spec)
    assert _pins(spec) == ["labtimm", "labtqdm"]  # pure Python stays in pip
    # conda builds torchvision for pytorch 2.5 only: the solve with it takes that pytorch
    assert {"torchvision-0.20.1-0.tar.bz2", "pytorch-2.5.1-0.tar.bz2"} <= set(_conda_files(spec))
    assert ("notice: moving torchvision to the conda layer changed pytorch 2.6.0 -> 2.5.1 on "
            "linux-64") in result.stderr
    environment = (spec.parent / "environment.yml").read_text(encoding="utf-8")
    assert "  - torchvision >=0.20\n" in environment  # the range pip needed, as a conda spec
    assert ("moved to conda: torchvision -> conda `torchvision >=0.20` (its PyPI build is "
            "ABI-coupled to conda's pytorch; linux-64)") in result.stdout

    as_json = _solve(run_cli, spec, lab_channel, demo_channel, "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["promotions"] == {"default": [{
        "pypi_name": "torchvision", "conda_spec": "torchvision >=0.20", "reason": "abi",
        "coupled_to": "pytorch", "platforms": ["linux-64"],
    }]}


@pytest.mark.parametrize(
    ("conda", "pip", "refused"),
    [
        (["pytorch"], "labtimm", "torchvision: its PyPI build is linked against PyPI's torch"),
        (["pytorch", "cuda-version 12.6.*", "cuda-cudart"], "gpukit",
         "would install a second CUDA runtime next to the conda layer's (cuda-cudart 12.6.77)"),
    ],
)
def test_promote_off_refuses_as_the_guards_always_did(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path, conda: list[str], pip: str, refused: str,
) -> None:
    spec = _spec(write_spec, index, conda, [pip], promote="off")
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    assert refused in result.stderr
    assert not (spec.parent / "requirements.txt").exists()


def test_a_cuda_wheel_becomes_the_conda_package_with_the_same_libraries(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    # next to conda's pytorch too, where an NVIDIA wheel in pip is also an override of it
    spec = _spec(write_spec, index, ["pytorch", "cuda-version 12.6.*", "cuda-cudart"],
                 ["gpukit"])
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 0, result.output
    assert _pins(spec) == ["gpukit"]
    assert "libcufft-11.3.0.4-0.tar.bz2" in _conda_files(spec)
    assert "  - libcufft >=11.2\n" in (spec.parent / "environment.yml").read_text("utf-8")
    assert "nvidia-cufft-cu12 -> conda `libcufft >=11.2`" in result.stdout


def test_a_listed_pure_python_package_moves_and_an_unlisted_one_stays(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["pytorch"], ["labtimm"], promote="[LabTQDM]")
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 0, result.output
    assert _pins(spec) == ["labtimm"]
    files = _conda_files(spec)
    assert "labtqdm-4.66.0-0.tar.bz2" in files and "torchvision-0.20.1-0.tar.bz2" in files
    assert "labtqdm -> conda `labtqdm >=4.60` (listed in `promote:`" in result.stdout


@pytest.mark.parametrize(
    ("pip", "conda", "named"),
    [
        ("labaudio", "pytorch", ["torchaudio -> conda `torchaudio`", "conda's pytorch",
                                 "set `promote: off`"]),
        ("randkit", "cuda-cudart", ["nvidia-curand-cu12 -> conda `libcurand`",
                                    "conda's (cuda-cudart)", "a conda channel that has libcurand"]),
    ],
)
def test_no_conda_build_exits_3_naming_package_coupling_and_ways_out(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path, pip: str, conda: str, named: list[str],
) -> None:
    spec = _spec(write_spec, index, [conda], [pip])
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    assert "conda has no build of them that fits" in result.stderr
    for text in named:
        assert text in result.stderr
    assert not (spec.parent / "requirements.txt").exists()


def test_a_move_that_leaves_the_package_in_pip_ends_the_loop(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index, ["pytorch"], ["labdata"], promote="[labdata]")
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    assert "labdata: conda `labdata` was added for it, yet the conda -> PyPI mapping" in (
        result.stderr)


def test_a_package_asked_for_by_direct_reference_never_moves(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    url = (index.wheels / "torchvision-0.20.1-py3-none-manylinux_2_28_x86_64.whl").as_uri()
    spec = _spec(write_spec, index, ["pytorch 2.5.*"], [f"torchvision @ {url}"])
    result = _solve(run_cli, spec, lab_channel, demo_channel)
    assert result.exit_code == 3, result.output
    assert "torchvision: its PyPI build is linked against PyPI's torch" in result.stderr
