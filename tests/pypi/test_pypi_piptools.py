"""pip-compile through the same bridge, on the running platform only (kept tiny: it is slow)."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hybrid.errors import UnsatisfiableError, UsageError
from hybrid.pypi.model import (
    PinnedDistribution,
    PipTarget,
    ProvidedDistribution,
)
from hybrid.pypi.platforms import native_platform
from hybrid.pypi.resolver import CompileRequest, get_resolver

URLLIB3 = ProvidedDistribution(
    pypi_name=canonicalize_name("urllib3"), version="2.2.3", conda_name="urllib3"
)
IDNA = ProvidedDistribution(pypi_name=canonicalize_name("idna"), version="3.10", conda_name="idna")


def _native() -> PipTarget:
    subdir = native_platform()
    if subdir is None:
        pytest.skip(f"no conda subdir for {sys.platform}/{platform.machine()}")
    return PipTarget(platform=subdir, python_version=platform.python_version())


@pytest.mark.network
def test_native_compile_leaves_out_what_conda_provides(tmp_path: Path) -> None:
    result = get_resolver("pip-tools").compile(
        CompileRequest(
            requirements=(Requirement("requests"),),
            provided={"urllib3": URLLIB3, "idna": IDNA},
            target=_native(),
            workdir=tmp_path,
        )
    )
    names = [pin.name for pin in result.pins]
    assert "requests" in names and "certifi" in names
    assert "urllib3" not in names and "idna" not in names
    assert names == sorted(names)
    assert all(pin.hashes and pin.version.local is None for pin in result.pins)
    assert result.resolver.startswith("pip-tools ")


@pytest.mark.network
def test_native_conflict_is_explained(tmp_path: Path) -> None:
    numpy = ProvidedDistribution(
        pypi_name=canonicalize_name("numpy"), version="1.26.4", conda_name="numpy"
    )
    with pytest.raises(UnsatisfiableError) as caught:
        get_resolver("pip-tools").compile(
            CompileRequest(
                requirements=(Requirement("opencv-python>=4.12"),),
                provided={"numpy": numpy},
                target=_native(),
                workdir=tmp_path,
            )
        )
    message = str(caught.value)
    assert "numpy 1.26.4 from the conda layer (conda package `numpy`)" in message
    assert "`opencv-python>=4.12`" in message
    assert "Traceback" not in message


@pytest.mark.parametrize(
    "target",
    [
        PipTarget(platform="win-64" if sys.platform != "win32" else "osx-arm64",
                  python_version=platform.python_version()),
        PipTarget(platform=native_platform() or "linux-64", python_version="3.8.10"),
    ],
)
def test_another_platform_or_python_is_a_usage_error(target: PipTarget, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        get_resolver("pip-tools").compile(
            CompileRequest(requirements=(Requirement("six"),), target=target, workdir=tmp_path)
        )
    assert "pip-tools compiles only for the platform and Python it runs on" in str(caught.value)
    assert "--pip-resolver uv" in str(caught.value)
    assert not (tmp_path / "requirements.in").exists()


@pytest.mark.network
def test_git_reference_is_pinned_to_its_commit(
    tmp_path: Path, git_package: tuple[Path, str]
) -> None:
    repo, commit = git_package
    result = get_resolver("pip-tools").compile(
        CompileRequest(
            requirements=(Requirement(f"tinypkg @ git+{repo.as_uri()}@v0.1.0"),),
            target=_native(),
            workdir=tmp_path,
        )
    )
    pins: dict[str, PinnedDistribution] = {pin.name: pin for pin in result.pins}
    assert pins["tinypkg"].url == f"git+{repo.as_uri()}@{commit}"
    assert str(pins["tinypkg"].version) == "0.1.0"
    assert "six" in pins
