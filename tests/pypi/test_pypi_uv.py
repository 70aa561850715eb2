"""``uv pip compile`` against the real package index, through the stub bridge."""

from __future__ import annotations

import hashlib
import json
import urllib.request
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from hybrid.errors import UnsatisfiableError
from hybrid.pypi.model import (
    IndexOptions,
    PinnedDistribution,
    PipLayerResult,
    PipTarget,
    ProvidedDistribution,
)
from hybrid.pypi.resolver import CompileRequest, get_resolver

pytestmark = pytest.mark.network

TORCH = ProvidedDistribution(
    pypi_name=canonicalize_name("torch"), version="2.6.0", conda_name="pytorch"
)
NUMPY_2 = ProvidedDistribution(
    pypi_name=canonicalize_name("numpy"), version="2.1.3", conda_name="numpy"
)
NUMPY_1 = ProvidedDistribution(
    pypi_name=canonicalize_name("numpy"), version="1.26.4", conda_name="numpy"
)
PYPI = IndexOptions()


def _compile(
    requirements: list[str],
    provided: list[ProvidedDistribution],
    target: PipTarget,
    workdir: Path,
    *,
    index: IndexOptions = PYPI,
    exclude_newer: datetime | None = None,
) -> PipLayerResult:
    return get_resolver("uv").compile(
        CompileRequest(
            requirements=tuple(Requirement(r) for r in requirements),
            provided={dist.pypi_name: dist for dist in provided},
            target=target,
            index=index,
            workdir=workdir,
            exclude_newer=exclude_newer,
        )
    )


@pytest.fixture(scope="module")
def accelerate_transformers(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, PipLayerResult]:
    """The DESIGN.md acceptance: conda provides torch (as `pytorch`) and numpy."""
    return {
        platform: _compile(
            ["accelerate", "transformers"],
            [TORCH, NUMPY_2],
            PipTarget(platform=platform, python_version="3.11.9", glibc="2.28", macos="11.0"),
            tmp_path_factory.mktemp(platform),
        )
        for platform in ("linux-64", "osx-arm64")
    }


@pytest.mark.parametrize("platform", ["linux-64", "osx-arm64"])
def test_pip_layer_never_brings_what_conda_provides(
    accelerate_transformers: dict[str, PipLayerResult], platform: str
) -> None:
    result = accelerate_transformers[platform]
    names = [pin.name for pin in result.pins]
    assert {"accelerate", "transformers", "huggingface-hub", "safetensors"} <= set(names)
    forbidden = [n for n in names if n in {"torch", "numpy", "triton"} or n.startswith("nvidia-")]
    assert forbidden == []
    assert names == sorted(names)
    assert result.resolver.startswith("uv ")
    for pin in result.pins:
        assert pin.version.local is None
        assert pin.hashes and all(h.startswith("sha256:") for h in pin.hashes)
        assert list(pin.hashes) == sorted(pin.hashes)
        assert pin.url is None and pin.index_url == "https://pypi.org/simple"


def test_a_pinned_hash_matches_the_file_on_the_index(
    accelerate_transformers: dict[str, PipLayerResult],
) -> None:
    pins = {pin.name: pin for pin in accelerate_transformers["linux-64"].pins}
    pin = pins["mdurl"] if "mdurl" in pins else pins["packaging"]
    request = urllib.request.Request(
        f"https://pypi.org/simple/{pin.name}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},  # PEP 691
    )
    with urllib.request.urlopen(request) as reply:
        files = json.load(reply)["files"]
    wheel = min(
        (f for f in files if f["filename"].endswith(".whl")
         and parse_wheel_filename(f["filename"])[1] == pin.version),
        key=lambda f: f["size"],
    )
    with urllib.request.urlopen(wheel["url"]) as reply:
        digest = hashlib.sha256(reply.read()).hexdigest()
    assert f"sha256:{digest}" in pin.hashes


def test_conflict_with_the_conda_layer_is_explained(tmp_path: Path) -> None:
    target = PipTarget(platform="linux-64", python_version="3.11.9")
    with pytest.raises(UnsatisfiableError) as caught:
        _compile(["opencv-python>=4.12"], [NUMPY_1], target, tmp_path)
    message = str(caught.value)
    assert "`opencv-python>=4.12`" in message
    assert "numpy 1.26.4 from the conda layer (conda package `numpy`)" in message
    assert "linux-64" in message
    assert "relax the conda spec" in message and "bound" in message
    assert "+conda" not in message


def test_platform_markers_are_evaluated_for_the_target(tmp_path: Path) -> None:
    def names(platform: str) -> set[str]:
        target = PipTarget(platform=platform, python_version="3.12.3")
        return {pin.name for pin in _compile(["tqdm"], [], target, tmp_path / platform).pins}

    assert "colorama" in names("win-64")
    assert "colorama" not in names("linux-aarch64")


def test_exclude_newer_keeps_the_stubs(tmp_path: Path) -> None:
    snapshot = datetime(2023, 1, 1, tzinfo=timezone.utc)
    target = PipTarget(platform="linux-64", python_version="3.11.9")
    result = _compile(["opencv-python-headless"], [NUMPY_1], target, tmp_path,
                      exclude_newer=snapshot)
    (pin,) = result.pins
    assert pin.name == "opencv-python-headless"
    assert pin.version < Version("4.7.0.72")  # 4.7.0.72 was uploaded in February 2023


def test_credentials_never_reach_the_result(tmp_path: Path) -> None:
    index = IndexOptions(index_url="https://someone:s3cret@pypi.org/simple")
    target = PipTarget(platform="win-64", python_version="3.12.3")
    result = _compile(["six"], [], target, tmp_path, index=index)
    assert "s3cret" not in repr(result)
    assert [pin.index_url for pin in result.pins] == ["https://pypi.org/simple"]


def test_git_reference_is_pinned_to_its_commit(
    tmp_path: Path, git_package: tuple[Path, str]
) -> None:
    repo, commit = git_package
    target = PipTarget(platform="osx-arm64", python_version="3.11.9")
    result = _compile([f"tinypkg @ git+{repo.as_uri()}@v0.1.0"], [], target, tmp_path)
    pins: dict[str, PinnedDistribution] = {pin.name: pin for pin in result.pins}
    assert set(pins) == {"six", "tinypkg"}
    assert pins["tinypkg"].url == f"git+{repo.as_uri()}@{commit}"
    assert pins["tinypkg"].version == Version("0.1.0")
    assert pins["tinypkg"].hashes == ()


def test_local_wheel_reference_keeps_its_hash(
    tmp_path: Path, make_wheel: Callable[..., Path]
) -> None:
    wheel = make_wheel(tmp_path, "tinywheel", "0.2.0", ["six"])
    target = PipTarget(platform="win-64", python_version="3.11.9")
    result = _compile([f"tinywheel @ {wheel.as_uri()}"], [], target, tmp_path / "work")
    pins: dict[str, PinnedDistribution] = {pin.name: pin for pin in result.pins}
    assert pins["tinywheel"].url == wheel.as_uri()
    assert pins["tinywheel"].version == Version("0.2.0")
    assert pins["tinywheel"].hashes == (f"sha256:{hashlib.sha256(wheel.read_bytes()).hexdigest()}",)
    assert "six" in pins


def test_same_inputs_same_pins(tmp_path: Path) -> None:
    target = PipTarget(platform="linux-aarch64", python_version="3.12.3", glibc="2.17")
    first = _compile(["requests"], [NUMPY_2], target, tmp_path / "a")
    second = _compile(["requests"], [NUMPY_2], target, tmp_path / "b")
    assert first == second
