"""The platform table: one row per platform, and every consumer reads the same facts from it."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from uv import find_uv_bin

from hybrid.conda.model import CondaPackage, CondaSolution, SolveRequest
from hybrid.conda.virtual import virtual_packages
from hybrid.platforms import (
    CUDA_PLATFORMS,
    DEFAULT_PLATFORMS,
    FACTS,
    PIP_PLATFORMS,
    PLATFORMS,
    SELECTORS,
    TABLE,
    Platform,
    family,
    has_pip_layer,
    machine,
    marker_values,
    platform_facts,
)
from hybrid.pypi.artifacts import platform_tags
from hybrid.pypi.layer import pip_target
from hybrid.pypi.model import PipTarget
from hybrid.pypi.platforms import uv_environment, uv_python_platform
from hybrid.spec import load_spec
from hybrid.spec.model import Spec

WriteSpec = Callable[[str], Path]


@cache
def _uv_python_platforms() -> frozenset[str]:
    """The values `uv pip compile --python-platform` accepts, read from its own --help."""
    text = subprocess.run(
        [find_uv_bin(), "pip", "compile", "--help"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"--python-platform <\w+>.*?\[possible values: ([^\]]*)\]", text, re.S)
    assert found is not None, text
    return frozenset(value.strip() for value in found[1].split(","))


def test_every_platform_has_one_row() -> None:
    assert tuple(row.subdir for row in TABLE) == PLATFORMS
    assert len(set(PLATFORMS)) == len(PLATFORMS) == len(FACTS)
    assert all(platform_facts(p).subdir == p for p in PLATFORMS)
    assert set(DEFAULT_PLATFORMS) <= set(PIP_PLATFORMS) <= set(PLATFORMS)
    assert set(PLATFORMS) >= CUDA_PLATFORMS
    assert set(SELECTORS) == set(PLATFORMS)
    assert len(set(SELECTORS.values())) == len(SELECTORS)


def test_an_unknown_platform_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"linux-s390x.*; known: linux-64, linux-aarch64, "):
        platform_facts("linux-s390x")


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.subdir)
def test_a_row_agrees_with_itself(row: Platform) -> None:
    facts = platform_facts(row.subdir)
    assert facts is row
    assert facts.subdir.startswith(f"{facts.family}-")
    assert (family(facts.subdir), machine(facts.subdir)) == (facts.family, facts.machine)
    names = set(facts.virtual_packages)
    assert {"__archspec"} <= names
    assert ("__glibc" in names) == ("__linux" in names) == (facts.family == "linux")
    assert ("__osx" in names) == (facts.family == "osx")
    assert ("__unix" in names) == (facts.family != "win")
    assert ("__win" in names) == (facts.family == "win")
    assert (facts.glibc is not None) == (facts.linux is not None) == (facts.family == "linux")
    assert (facts.macos is not None) == (facts.family == "osx")


def test_uv_accepts_the_python_platform_of_every_platform_with_a_pip_layer() -> None:
    known = _uv_python_platforms()
    for platform in PIP_PLATFORMS:
        target = PipTarget(platform=platform, python_version="3.11")
        assert uv_python_platform(target) in known, platform
    for minor in (17, 28, 31, 40):
        target = PipTarget(platform="linux-aarch64", python_version="3.11", glibc=f"2.{minor}")
        assert uv_python_platform(target) in known


@pytest.mark.parametrize("platform", [p for p in PLATFORMS if not has_pip_layer(p)])
def test_uv_has_no_python_platform_for_a_platform_without_a_pip_layer(platform: str) -> None:
    arch = machine(platform)
    aliases = {arch, "powerpc64le"} if arch == "ppc64le" else {arch}
    assert not [v for v in _uv_python_platforms() if v.split("-", 1)[0] in aliases]


SPEC = """\
version: 1
name: floors
platforms: [{platforms}]
python: "3.11"
pip:
  - requests
{system}"""


def _solution(spec: Spec, platform: str) -> CondaSolution:
    """A conda layer of one python package, solved with the virtual packages of `spec`."""
    python = CondaPackage(
        name="python", version="3.11.9", build="0", build_number=0, subdir=platform,
        channel="conda-forge", url=f"https://example.invalid/{platform}/python.conda",
        fn="python.conda", md5=None, sha256=None, depends=(),
    )  # fmt: skip
    request = SolveRequest(
        platform=platform, specs=(), channels=(),
        virtual_packages=virtual_packages(platform, spec.system),
    )  # fmt: skip
    return CondaSolution(request=request, packages=(python,))


@pytest.mark.parametrize(
    ("system", "glibc", "macos"),
    [
        ("", None, None),
        ('system: {glibc: "2.31", macos: "12.0"}\n', "2.31", "12.0"),
    ],
)
def test_the_solve_and_the_pip_layer_assume_the_same_oldest_systems(
    write_spec: WriteSpec, system: str, glibc: str | None, macos: str | None
) -> None:
    spec = load_spec(write_spec(SPEC.format(platforms=", ".join(PIP_PLATFORMS), system=system)))
    for platform in spec.platforms:
        solution = _solution(spec, platform)
        virtual = {v.name: v.version for v in solution.request.virtual_packages}
        target = pip_target(spec, solution)
        facts = platform_facts(platform)
        if facts.family == "osx":
            assert virtual["__osx"] == target.macos == (macos or facts.macos)
            assert uv_environment(target) == {"MACOSX_DEPLOYMENT_TARGET": virtual["__osx"]}
            major, minor = virtual["__osx"].split(".")
            assert platform_tags(target)[0] == f"macosx_{major}_{minor}_{facts.machine}"
            # a target built without a macOS version gets the table's floor, not another one
            bare = uv_environment(replace(target, macos=None))
            assert bare == {"MACOSX_DEPLOYMENT_TARGET": facts.macos}
        if facts.family == "linux":
            assert virtual["__glibc"] == target.glibc == (glibc or facts.glibc)
            level = f"manylinux_2_{virtual['__glibc'].split('.')[1]}"
            assert uv_python_platform(target).endswith(f"-{level}")
            assert platform_tags(target)[0] == f"{level}_{facts.machine}"
            assert uv_python_platform(replace(target, glibc=None)).endswith(
                f"-manylinux_2_{str(facts.glibc).split('.')[1]}"
            )


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.subdir)
def test_marker_values_agree_with_the_wheel_target(row: Platform) -> None:
    values = marker_values(row.subdir)
    assert set(values) == {"sys_platform", "platform_system", "os_name", "platform_machine"}
    if row.wheels is not None:
        assert values["sys_platform"] == row.wheels.sys_platform
        assert values["platform_machine"] == row.wheels.platform_machine
    assert values["os_name"] == ("nt" if row.family == "win" else "posix")
