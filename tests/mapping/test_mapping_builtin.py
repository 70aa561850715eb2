"""The built-in table and the python rule, checked against the real published mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.mapping import BUILTIN_TABLE, builtin_mapping, parse_compressed_mapping


def test_every_builtin_entry_agrees_with_the_published_mapping(shared_mapping: Path) -> None:
    published = parse_compressed_mapping(shared_mapping.read_bytes(), source="snapshot")
    checked = 0
    for conda_name, pypi_names in BUILTIN_TABLE.items():
        if conda_name not in published:
            continue  # pytorch- or defaults-channel names
        checked += 1
        if pypi_names:
            assert set(pypi_names) <= set(published[conda_name]), conda_name
        else:
            assert published[conda_name] == (), conda_name
    assert checked >= 30


@pytest.mark.parametrize(
    ("conda_name", "depends_on_python", "expected"),
    [
        ("pytorch", True, ("torch",)),
        ("pytorch-cpu", True, ("torch",)),
        ("torchtriton", True, ("triton",)),
        ("py-opencv", True, ("opencv-python", "opencv-python-headless")),
        ("matplotlib-base", True, ("matplotlib",)),
        ("tensorflow-base", True, ("tensorflow",)),
        ("cupy-core", True, ("cupy",)),
        ("msgpack-python", True, ("msgpack",)),
        ("pyqt", True, ("pyqt5",)),
        ("jaxlib", True, ("jaxlib", "jax-cuda12-pjrt", "jax-cuda12-plugin")),
        # The python rule: its own name, canonicalised.
        ("ruamel.yaml", True, ("ruamel-yaml",)),
        ("typing_extensions", True, ("typing-extensions",)),
        ("pillow", True, ("pillow",)),
        ("python-dateutil", True, ("python-dateutil",)),
        ("pip", True, ("pip",)),
        ("PyYAML", True, ("pyyaml",)),
        # Not Python distributions.
        ("python", False, ()),
        ("python", True, ()),
        ("python_abi", True, ()),
        ("python-gil", True, ()),
        ("pytorch-gpu", True, ()),
        ("pytorch-cuda", False, ()),
        ("libgcc", False, ()),
        ("_openmp_mutex", True, ()),  # not a valid PyPI name
    ],
)
def test_builtin_mapping(conda_name: str, depends_on_python: bool, expected: tuple[str]) -> None:
    mapping = builtin_mapping()
    assert mapping.pypi_names(conda_name, depends_on_python=depends_on_python) == expected


def test_builtin_mapping_says_where_it_came_from() -> None:
    assert builtin_mapping().source == "built-in"
    assert builtin_mapping().fallback is False
    assert builtin_mapping(fallback=True, note="why").note == "why"


def test_reverse_lookup_names_the_conda_package() -> None:
    mapping = builtin_mapping()
    assert mapping.conda_names_for("torch") == ("pytorch", "pytorch-cpu")
    assert mapping.conda_names_for("Torch") == ("pytorch", "pytorch-cpu")
    assert mapping.conda_names_for("opencv_python") == ("py-opencv",)
    assert mapping.conda_names_for("requests") == ()
