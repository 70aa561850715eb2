"""Previous pins are kept where possible (`hybrid update`), by both resolvers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from hybrid.pypi.model import PinnedDistribution, PipTarget
from hybrid.pypi.resolver import CompileRequest, ResolverName, get_resolver

pytestmark = pytest.mark.network
PREVIOUS = (PinnedDistribution(name="six", version=Version("1.15.0")),)
NATIVE = PipTarget(
    platform="linux-64", python_version=".".join(map(str, sys.version_info[:3]))
)


@pytest.mark.parametrize("resolver", ["uv", "pip-tools"])
def test_previous_pins_are_preferred(resolver: ResolverName, tmp_path: Path) -> None:
    if resolver == "pip-tools" and not sys.platform.startswith("linux"):
        pytest.skip("pip-tools compiles for the native platform; this test targets linux-64")
    result = get_resolver(resolver).compile(
        CompileRequest(
            requirements=(Requirement("six"),),
            target=NATIVE,
            workdir=tmp_path,
            preferences=tuple(PREVIOUS),
        )
    )
    assert [(p.name, str(p.version)) for p in result.pins] == [("six", "1.15.0")]


def test_without_preferences_the_newest_wins(tmp_path: Path) -> None:
    result = get_resolver("uv").compile(
        CompileRequest(requirements=(Requirement("six"),), target=NATIVE, workdir=tmp_path)
    )
    assert result.pins[0].version > Version("1.15.0")


def test_a_preference_that_no_longer_fits_gives_way(tmp_path: Path) -> None:
    result = get_resolver("uv").compile(
        CompileRequest(
            requirements=(Requirement("six>=1.16"),),
            target=NATIVE,
            workdir=tmp_path,
            preferences=tuple(PREVIOUS),
        )
    )
    assert result.pins[0].version >= Version("1.16")
