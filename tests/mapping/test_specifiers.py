"""A PEP 440 range as a conda version spec, for a package moving to the conda layer."""

from __future__ import annotations

import pytest
import rattler
from packaging.specifiers import SpecifierSet

from hybrid.mapping.specifiers import conda_version_spec


@pytest.mark.parametrize(
    ("pypi", "conda"),
    [
        ("", None),  # timm needs torchvision with no bound: no bound
        ("==0.21.0", "==0.21.0"),
        ("==0.21.0+cu126", "==0.21.0"),  # a local label has no conda meaning
        (">=9.8,<10", ">=9.8,<10"),
        ("<10,>=9.8,!=9.9", ">=9.8,!=9.9,<10"),  # lower bounds first
        ("==1.2.*", "1.2.*"),
        ("~=1.4", "~=1.4"),
        ("===1.0", None),  # arbitrary equality cannot be said
    ],
)
def test_ranges_become_conda_version_specs(pypi: str, conda: str | None) -> None:
    assert conda_version_spec(SpecifierSet(pypi)) == conda


def test_an_exact_pin_of_a_cut_version_matches_the_conda_versions_below_it() -> None:
    """nvidia-nccl-cu12 2.23.4 is conda's nccl 2.23.4.1."""
    spec = conda_version_spec(SpecifierSet("==2.23.4"), cut=True)
    assert spec == "2.23.4.*"
    assert rattler.VersionSpec(spec).matches(rattler.Version("2.23.4.1"))
    assert not rattler.VersionSpec(spec).matches(rattler.Version("2.23.5.1"))


@pytest.mark.parametrize(
    ("pypi", "inside", "outside"),
    [(">=9.8,<10", "9.10.2.21", "10.0"), ("==2.5.1", "2.5.1", "2.5.2"), ("~=1.4", "1.9", "2.0")],
)
def test_conda_reads_the_range_as_pip_did(pypi: str, inside: str, outside: str) -> None:
    spec = rattler.VersionSpec(conda_version_spec(SpecifierSet(pypi)) or "*")
    assert spec.matches(rattler.Version(inside)) and not spec.matches(rattler.Version(outside))
