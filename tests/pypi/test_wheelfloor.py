"""uv's failures restated: no wheel for the spec's floor (exit 3), an offline cache miss (5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from hybrid.errors import BackendError, UnsatisfiableError
from hybrid.pypi.model import IndexOptions, PipTarget
from hybrid.pypi.offline import cache_miss
from hybrid.pypi.resolver import CompileRequest, get_resolver
from hybrid.pypi.wheelfloor import no_wheel, oldest_system

LINUX_217 = PipTarget(platform="linux-64", python_version="3.11.9", glibc="2.17")
MAC_1015 = PipTarget(platform="osx-64", python_version="3.11.9", macos="10.15")
NUMPY_FILES = [
    "numpy-2.3.1-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
    "numpy-2.3.1-cp311-cp311-musllinux_1_2_x86_64.whl",
    "numpy-2.3.1-cp312-cp312-manylinux_2_17_x86_64.whl",  # another Python: not counted
    "numpy-2.3.1-cp311-cp311-macosx_14_0_x86_64.whl",
    "numpy-2.3.1-cp311-cp311-macosx_10_13_universal2.whl",
    "numpy-2.3.1.tar.gz",
    "numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
]
# uv 0.13.9, `numpy>=2.3` for x86_64-manylinux_2_17 with --only-binary :all:
UV_NO_WHEEL = """\
error: No solution found when resolving dependencies
  cause: Because numpy>=2.3.0 has no usable wheels and you require numpy>=2.3, we can \
conclude that your requirements are unsatisfiable.

hint: Wheels are required for `numpy` because building from source is disabled for all \
packages (i.e., with `--no-build`)
"""
# uv 0.13.9 with --offline and an empty cache
UV_OFFLINE = """\
error: No solution found when resolving dependencies
  cause: Because six was not found in the cache and you require six, we can conclude that \
your requirements are unsatisfiable.

hint: Packages were unavailable because the network was disabled. When the network is \
disabled, registry packages may only be read from the cache.
"""


def test_oldest_system_of_the_newest_wheels_in_range() -> None:
    assert oldest_system(NUMPY_FILES, LINUX_217, ">=2.3.0") == (Version("2.3.1"), "glibc 2.27")
    assert oldest_system(NUMPY_FILES, LINUX_217, "<2.3") == (Version("2.2.6"), "glibc 2.17")
    assert oldest_system(NUMPY_FILES, MAC_1015) == (Version("2.3.1"), "macOS 10.13")
    arm = PipTarget(platform="linux-aarch64", python_version="3.11.9")
    assert oldest_system(NUMPY_FILES, arm) is None  # no wheel for that machine
    assert oldest_system(NUMPY_FILES, PipTarget(platform="win-64", python_version="3.11")) is None


def test_no_wheel_names_package_floor_and_ways_out() -> None:
    error = no_wheel(UV_NO_WHEEL, target=LINUX_217, index=IndexOptions(), offline=True)
    assert isinstance(error, UnsatisfiableError)
    message = str(error)
    assert "no wheel of `numpy` runs on glibc 2.17" in message
    assert "`system: glibc`" in message and "pip-build: [numpy]" in message
    assert "numpy>=2.3.0" in message
    assert "has no usable wheels" in message  # uv's own words are kept
    assert no_wheel("error: something else", target=LINUX_217, index=IndexOptions(),
                    offline=True) is None


def test_an_offline_cache_miss_names_what_is_missing() -> None:
    error = cache_miss(UV_OFFLINE, target=LINUX_217)
    assert isinstance(error, BackendError) and error.exit_code == 5
    assert "six" in str(error) and "offline" in str(error)
    assert cache_miss(UV_NO_WHEEL, target=LINUX_217) is None


@pytest.mark.network
def test_a_real_floor_too_old_for_numpys_wheels(tmp_path: Path) -> None:
    with pytest.raises(UnsatisfiableError) as caught:
        get_resolver("uv").compile(CompileRequest(
            requirements=(Requirement("numpy>=2.3"),), target=LINUX_217, workdir=tmp_path))
    message = str(caught.value)
    assert "no wheel of `numpy` runs on glibc 2.17" in message
    assert "need glibc 2.2" in message  # 2.27/2.28 as of numpy 2.3
    allowed = get_resolver("uv").compile(CompileRequest(
        requirements=(Requirement("numpy>=2.3"),), target=LINUX_217, workdir=tmp_path / "b",
        may_build=("numpy",)))
    (numpy,) = allowed.pins
    assert [f.filename for f in numpy.files] == [f"numpy-{numpy.version}.tar.gz"]
    assert allowed.may_build == ("numpy",)
