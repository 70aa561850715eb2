"""Which locked names `hybrid update PKG` frees: both layers, through the mapping."""

from __future__ import annotations

from hybrid.readback.previous import freed_names


def test_a_pypi_name_frees_its_conda_package() -> None:
    assert {"torch", "pytorch"} <= freed_names(["torch"])


def test_a_conda_name_frees_its_pypi_distribution() -> None:
    assert {"py-opencv", "opencv-python"} <= freed_names(["py-opencv"])


def test_names_are_matched_canonically() -> None:
    assert "ruamel-yaml" in freed_names(["Ruamel_YAML"])
