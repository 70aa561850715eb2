"""Conda requests as environment files write them -> canonical match specs."""

from __future__ import annotations

import pytest

from hybrid.envfiles.condaspec import conda_item, release_parts
from hybrid.spec.location import Location
from hybrid.spec.matchspec import MatchSpecSyntaxError

HERE = Location(file="environment.yml", line=1, column=1)


@pytest.mark.parametrize(
    ("written", "spec", "channel"),
    [
        ("numpy", "numpy", None),
        ("numpy=1.26", "numpy 1.26.*", None),
        ("numpy=1.26.4=py311h64a7726_0", "numpy ==1.26.4 py311h64a7726_0", None),
        ("numpy==1.26", "numpy ==1.26", None),
        ("numpy >=1.26,<2", "numpy >=1.26,<2", None),
        ("numpy   1.26.*", "numpy 1.26.*", None),
        ("pytorch::pytorch", "pytorch::pytorch", "pytorch"),
        ("pytorch::pytorch=2.1", "pytorch::pytorch 2.1.*", "pytorch"),
        (
            "nvidia/label/cuda-11.8.0::cuda",
            "nvidia/label/cuda-11.8.0::cuda",
            "nvidia/label/cuda-11.8.0",
        ),
        ("conda-forge/linux-64::numpy", "conda-forge/linux-64::numpy", "conda-forge"),
        (
            "https://repo.anaconda.com/pkgs/main::numpy ==1.2 b",
            "https://repo.anaconda.com/pkgs/main::numpy ==1.2 b",
            "https://repo.anaconda.com/pkgs/main",
        ),
    ],
)
def test_conversion(written: str, spec: str, channel: str | None) -> None:
    item = conda_item(written, HERE, order=0)
    assert (item.spec, item.channel) == (spec, channel)


@pytest.mark.parametrize("written", ["", "numpy >=>= 1", "a::b::c", "::", "[version=1]"])
def test_invalid_requests_raise(written: str) -> None:
    with pytest.raises(MatchSpecSyntaxError):
        conda_item(written, HERE, order=0)


def test_version_helpers() -> None:
    assert release_parts("3.11.*") == ["3", "11"]
    assert release_parts("==3.11.7") == ["3", "11", "7"]
    assert release_parts(">=3.9") is None
    assert release_parts(None) is None
