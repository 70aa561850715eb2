"""The provided set: which PyPI distributions a solved conda layer already installs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from hybrid.mapping import (
    CondaPypiMapping,
    ProvidedDistribution,
    builtin_mapping,
    depends_on_python,
    load_mapping,
    pep440_version,
    provided_distributions,
)


@dataclass(frozen=True)
class Record:
    name: str
    version: str
    depends: Sequence[str] = field(default_factory=tuple)


PY = ("python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311")


def test_python_distributions_of_a_small_environment() -> None:
    records = [
        Record("python", "3.11.9", ("libgcc >=13", "python_abi 3.11.* *_cp311")),
        Record("python_abi", "3.11", ()),
        Record("libgcc", "14.2.0", ()),
        Record("pip", "24.2", ("python >=3.8",)),
        Record("pytorch", "2.4.1", (*PY, "numpy >=1.19")),
        Record("numpy", "1.26.4", PY),
        Record("matplotlib-base", "3.9.2", PY),
        Record("ruamel.yaml", "0.18.6", PY),
        Record("jpeg", "9e", ()),
    ]
    provided = provided_distributions(records, builtin_mapping())
    assert list(provided) == ["matplotlib", "numpy", "pip", "ruamel-yaml", "torch"]
    assert provided[canonicalize_name("torch")] == ProvidedDistribution(
        pypi_name=canonicalize_name("torch"), version="2.4.1", conda_name="pytorch"
    )
    assert provided[canonicalize_name("ruamel-yaml")].conda_name == "ruamel.yaml"
    assert provided[canonicalize_name("matplotlib")].pep440 == Version("3.9.2")


def test_a_package_bundling_others_never_shadows_the_real_one() -> None:
    mapping = CondaPypiMapping.from_entries(
        {"ansible": ["ansible", "pip", "setuptools"], "pip": ["pip"]}, source="test"
    )
    records = [Record("ansible", "10.1.0", PY), Record("pip", "24.2", PY)]
    provided = provided_distributions(reversed(records), mapping)
    assert provided[canonicalize_name("pip")].conda_name == "pip"
    assert provided[canonicalize_name("pip")].version == "24.2"
    # The names listed next to ansible's own are vendored: conda's ansible installs neither
    # pip nor setuptools as a distribution, so pip may add setuptools where it needs it.
    assert set(provided) == {"ansible", "pip"}


def test_the_python_binding_beats_the_c_library_on_a_shared_claim() -> None:
    mapping = CondaPypiMapping.from_entries(
        {"libopencv": ["opencv-python"], "py-opencv": ["opencv-python"]}, source="test"
    )
    records = [Record("libopencv", "4.10.0", ()), Record("py-opencv", "4.10.0", PY)]
    provided = provided_distributions(records, mapping)
    assert {d.conda_name for d in provided.values()} == {"py-opencv"}
    assert set(provided) == {"opencv-python"}


def test_several_names_none_its_own_are_never_stubbed() -> None:
    mapping = CondaPypiMapping.from_entries(
        {"ray-core": ["ray", "aiohttp", "attrs"], "vscode-python": ["zipp", "tomli"]},
        source="test",
    )
    records = [Record("ray-core", "2.9.0", PY), Record("vscode-python", "1.0", PY)]
    # ray-core's Python part is ray (a split package); vscode-python lists only what it
    # bundles, so it is uncertain and none of it is presented to pip as installed.
    assert set(provided_distributions(records, mapping)) == {"ray"}
    assert mapping.installs("vscode-python", depends_on_python=True).uncertain == (
        "tomli", "zipp",
    )
    assert mapping.installs("vscode-python", depends_on_python=True).names == ()


def test_the_built_in_table_is_exact_over_a_published_list(shared_mapping: Path) -> None:
    mapping = load_mapping("conda-forge", override=str(shared_mapping))
    # The snapshot lists msgpack-python's historical name too; the built-in table knows it
    # installs `msgpack`.
    assert "msgpack-python" in mapping.pypi_names("msgpack-python", depends_on_python=True)
    assert mapping.installs("msgpack-python", depends_on_python=True).names == ("msgpack",)


@pytest.mark.parametrize(
    ("conda_name", "installs"),
    [
        ("py", ("py",)),  # listed: apipkg, iniconfig, py
        ("bleach", ("bleach",)),  # listed: bleach, six, webencodings
        ("gym", ("gym",)),  # listed: gym, importlib-metadata, pyglet, typing-extensions, zipp
        ("pyside6", ("pyside6",)),
        ("pytorch", ("torch",)),
    ],
)
def test_vendored_names_of_the_real_mapping_are_not_installed(
    shared_mapping: Path, conda_name: str, installs: tuple[str, ...]
) -> None:
    mapping = load_mapping("conda-forge", override=str(shared_mapping))
    assert mapping.installs(conda_name, depends_on_python=True).names == installs


@pytest.mark.parametrize(
    ("conda_version", "expected"),
    [
        ("2.4.1", Version("2.4.1")),
        ("2024.1.1", Version("2024.1.1")),
        ("1.0.0rc1", Version("1.0.0rc1")),
        ("1!2.0", Version("1!2.0")),
        ("9e", None),
        ("1.3_31", None),
        ("1.1.1q", None),
        ("", None),
    ],
)
def test_pep440_version(conda_version: str, expected: Version | None) -> None:
    assert pep440_version(conda_version) == expected


@pytest.mark.parametrize(
    ("depends", "expected"),
    [
        (["python >=3.9"], True),
        (["python"], True),
        (["python>=3.9"], True),
        (["python 3.11.* *_cpython"], True),
        (["conda-forge::python >=3.9"], True),
        (["python_abi 3.11.* *_cp311"], False),
        (["python-gil"], False),
        (["libpython-static"], False),
        ([], False),
    ],
)
def test_depends_on_python(depends: list[str], expected: bool) -> None:
    assert depends_on_python(depends) is expected


def _latest_records(channel: Path, names: set[str]) -> list[Record]:
    """The newest record of each name in the linux-64 and noarch subdirs of a channel."""
    best: dict[str, tuple[tuple[int, Version | str], Record]] = {}
    for subdir in ("linux-64", "noarch"):
        repodata = json.loads((channel / subdir / "repodata.json").read_text())
        for key in ("packages", "packages.conda"):
            for raw in repodata.get(key, {}).values():
                if raw["name"] not in names:
                    continue
                parsed = pep440_version(raw["version"])
                order = (1, parsed) if parsed is not None else (0, raw["version"])
                record = Record(raw["name"], raw["version"], tuple(raw.get("depends", ())))
                current = best.get(raw["name"])
                if current is None or current[0] < order:
                    best[raw["name"]] = (order, record)
    return [record for _, record in best.values()]


def test_real_conda_forge_records_with_the_real_mapping(
    shared_channels: Path, shared_mapping: Path
) -> None:
    names = {
        "python", "python_abi", "libgcc", "_openmp_mutex", "pip", "pytorch", "numpy",
        "matplotlib-base", "ruamel.yaml", "py-opencv", "libopencv", "tzdata", "python-tzdata",
        "py", "bleach", "gym",
    }  # fmt: skip
    records = _latest_records(shared_channels / "conda-forge", names)
    assert {r.name for r in records} == names
    by_name = {r.name: r for r in records}
    mapping = load_mapping("conda-forge", override=str(shared_mapping))
    provided = provided_distributions(records, mapping)
    expected = {
        "pip": "pip",
        "torch": "pytorch",
        "numpy": "numpy",
        "matplotlib": "matplotlib-base",
        "ruamel-yaml": "ruamel.yaml",
        "opencv-python": "py-opencv",
        "opencv-python-headless": "py-opencv",
        "tzdata": "python-tzdata",
        # Only their own names: the mapping also lists apipkg and iniconfig for `py`, six and
        # webencodings for `bleach`, typing-extensions and zipp for `gym`, which they vendor
        # or once vendored; stubs for those would drop real dependencies from the pip layer.
        "py": "py",
        "bleach": "bleach",
        "gym": "gym",
    }
    assert {pypi: dist.conda_name for pypi, dist in provided.items()} == expected
    for dist in provided.values():
        assert dist.version == by_name[dist.conda_name].version
