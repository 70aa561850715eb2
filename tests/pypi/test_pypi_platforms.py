from __future__ import annotations

import pytest

from hybrid.errors import UsageError
from hybrid.platforms import PIP_PLATFORMS
from hybrid.pypi.model import PipTarget
from hybrid.pypi.platforms import (
    native_platform,
    python_version,
    uv_environment,
    uv_python_platform,
)


@pytest.mark.parametrize(
    ("platform", "glibc", "expected"),
    [
        ("linux-64", None, "x86_64-manylinux_2_28"),
        ("linux-64", "2.17", "x86_64-manylinux_2_17"),
        ("linux-64", "2.28", "x86_64-manylinux_2_28"),
        ("linux-64", "2.30", "x86_64-manylinux_2_28"),  # no 2_29/2_30 level: round down
        ("linux-64", "2.35", "x86_64-manylinux_2_35"),
        ("linux-64", "2.99", "x86_64-manylinux_2_40"),
        ("linux-aarch64", "2.31", "aarch64-manylinux_2_31"),
        ("osx-64", None, "x86_64-apple-darwin"),
        ("osx-arm64", "2.28", "aarch64-apple-darwin"),  # glibc means nothing on macOS
        ("win-64", None, "x86_64-pc-windows-msvc"),
    ],
)
def test_uv_python_platform(platform: str, glibc: str | None, expected: str) -> None:
    target = PipTarget(platform=platform, python_version="3.11.9", glibc=glibc)
    assert uv_python_platform(target) == expected


@pytest.mark.parametrize("glibc", ["2.12", "3.1", "2", "new"])
def test_unusable_glibc_is_a_usage_error(glibc: str) -> None:
    with pytest.raises(UsageError, match="glibc"):
        uv_python_platform(PipTarget(platform="linux-64", python_version="3.11", glibc=glibc))


def test_unknown_platform_names_the_known_ones() -> None:
    with pytest.raises(UsageError, match="linux-64, linux-aarch64, osx-64, osx-arm64, win-64"):
        uv_python_platform(PipTarget(platform="linux-ppc64le", python_version="3.11"))


def test_macos_deployment_target() -> None:
    assert uv_environment(PipTarget(platform="osx-arm64", python_version="3.12", macos="11.0")) == {
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
    }
    # Without its own macOS a target gets the platform table's floor, as the solve's __osx does.
    assert uv_environment(PipTarget(platform="osx-64", python_version="3.12")) == {
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
    }
    assert uv_environment(PipTarget(platform="osx-arm64", python_version="3.12")) == {
        "MACOSX_DEPLOYMENT_TARGET": "13.0"
    }
    assert uv_environment(PipTarget(platform="linux-64", python_version="3.12", macos="11")) == {}


@pytest.mark.parametrize("text", ["3.11", "3.11.9", "3.13.0rc2"])
def test_python_version(text: str) -> None:
    assert str(python_version(PipTarget(platform="win-64", python_version=text))) == text


@pytest.mark.parametrize("text", ["3", "py3.11", "3.11.9.1", "3.11+local"])
def test_bad_python_version(text: str) -> None:
    with pytest.raises(UsageError):
        python_version(PipTarget(platform="win-64", python_version=text))


def test_native_platform_is_a_known_subdir_here() -> None:
    assert native_platform() in PIP_PLATFORMS
