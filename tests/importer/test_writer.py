"""The spec writer: every string YAML reads back unchanged, whatever it holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from hybrid.envfiles.inventory import Note
from hybrid.importer.plan import CondaEntry, ImportPlan, PipIndexPlan
from hybrid.importer.writer import render_spec, text
from hybrid.spec.location import Location

HERE = Location(file="e.yml", line=1, column=1)


@given(st.text(min_size=1))
def test_any_string_reads_back(value: str) -> None:
    assert YAML(typ="safe").load(f"key: {text(value)}\n") == {"key": value}


@pytest.mark.parametrize("value", ["=", "<<", "0x1F", "0o17", ".inf", "2024-01-01", "yes", "~"])
def test_strings_yaml_would_read_as_something_else_are_quoted(value: str) -> None:
    assert text(value).startswith('"')
    assert YAML(typ="rt").load(f"key: {text(value)}\n") == {"key": value}


def test_a_full_plan(tmp_path: Path) -> None:
    plan = ImportPlan(
        sources=("environment.yml",),
        name="lab",
        channels=("conda-forge",),
        platforms=("linux-64", "win-64"),
        python="3.10",
        cuda="12.1",
        conda=(
            CondaEntry(spec="numpy 1.26.*", name="numpy", platforms=None, location=HERE),
            CondaEntry(
                spec="pywin32", name="pywin32", platforms=frozenset({"win-64"}), location=HERE
            ),
        ),
        pip=('pywin32-ctypes; sys_platform == "win32"', "tool @ git+https://h/r.git#x"),
        pip_index=PipIndexPlan(index_url="https://pypi.org/simple", find_links=("https://l",)),
        notes=(Note(location=HERE, what="w", why="y"),),
    )
    data = YAML(typ="safe").load(render_spec(plan))
    assert data == {
        "version": 1,
        "name": "lab",
        "channels": ["conda-forge"],
        "platforms": ["linux-64", "win-64"],
        "python": "3.10",
        "cuda": "12.1",
        "conda": ["numpy 1.26.*", {"spec": "pywin32", "platforms": ["win-64"]}],
        "pip": ['pywin32-ctypes; sys_platform == "win32"', "tool @ git+https://h/r.git#x"],
        "pip-index": {"index-url": "https://pypi.org/simple", "find-links": ["https://l"]},
    }
