"""Selector comments: the platforms they name, and markers true on exactly those platforms."""

from __future__ import annotations

import pytest
from packaging.markers import Marker

from hybrid.importer.selectors import named_platforms, platforms_marker, selector_platforms
from hybrid.platforms import PIP_PLATFORMS, PLATFORMS
from hybrid.pypi.platforms import facts_for

ALL = frozenset(PLATFORMS)
LINUX = frozenset({"linux-64", "linux-aarch64", "linux-ppc64le"})
OSX = frozenset({"osx-64", "osx-arm64"})


@pytest.mark.parametrize(
    ("selector", "platforms"),
    [
        ("linux64", {"linux-64"}),
        ("win", {"win-64"}),
        ("osx", OSX),
        ("unix", LINUX | OSX),
        ("not win", LINUX | OSX),
        ("linux and not aarch64", LINUX - {"linux-aarch64"}),
        ("linux64 or arm64", {"linux-64", "osx-arm64"}),
        ("win64, osx64", {"win-64", "osx-64"}),
        ("osx-arm64", {"osx-arm64"}),
        ("Win", {"win-64"}),
    ],
)
def test_selectors_name_platforms(selector: str, platforms: set[str]) -> None:
    assert selector_platforms(selector, PLATFORMS) == frozenset(platforms)


@pytest.mark.parametrize("selector", ["", "py>=310", "(linux)", "not", "linux and", "s390x"])
def test_other_selectors_are_not_understood(selector: str) -> None:
    assert selector_platforms(selector, PLATFORMS) is None


def test_named_platforms_ignore_families_and_negations() -> None:
    assert named_platforms("aarch64 or osx") == {"linux-aarch64"}
    assert named_platforms("not win") == frozenset()


def _true_on(marker: str) -> frozenset[str]:
    parsed = Marker(marker)
    return frozenset(
        subdir
        for subdir in PIP_PLATFORMS
        if parsed.evaluate(
            {
                "sys_platform": facts_for(subdir).sys_platform,
                "platform_machine": facts_for(subdir).platform_machine,
            }
        )
    )


@pytest.mark.parametrize(
    "selector",
    [
        "linux64",
        "aarch64",
        "linux",
        "osx",
        "osx64",
        "arm64",
        "win",
        "unix",
        "not win",
        "not linux64",
        "linux64 or osx",
        "linux and not aarch64",
    ],
)
def test_markers_are_true_on_exactly_the_selected_platforms(selector: str) -> None:
    chosen = selector_platforms(selector, PLATFORMS)
    assert chosen is not None
    marker = platforms_marker(chosen)
    assert marker is not None
    assert _true_on(marker) == chosen & set(PIP_PLATFORMS)


def test_markers_name_families_when_whole_and_machines_otherwise() -> None:
    assert platforms_marker({"win-64"}) == 'sys_platform == "win32"'
    assert platforms_marker(LINUX) == 'sys_platform == "linux"'
    assert platforms_marker({"linux-64", "osx-64", "osx-arm64"}) == (
        '(sys_platform == "linux" and platform_machine == "x86_64") or sys_platform == "darwin"'
    )
    assert platforms_marker({"linux-ppc64le"}) is None
    assert platforms_marker(ALL - OSX) == 'sys_platform == "linux" or sys_platform == "win32"'
