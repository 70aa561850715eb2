"""The both-layers rule: a pip requirement that a conda request already installs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from hybrid.errors import SpecError
from hybrid.guards.overlap import check_no_overlap, conda_providers, renamed
from hybrid.mapping import builtin_mapping, load_mapping
from hybrid.spec.load import load_spec
from hybrid.spec.model import Spec


@dataclass(frozen=True)
class Request:
    name: str


def test_providers_follow_the_mapping_in_request_order() -> None:
    conda = [Request("python"), Request("pytorch"), Request("numpy"), Request("torch")]
    found = conda_providers("Torch", conda, builtin_mapping())
    assert [entry.name for entry in found] == ["pytorch", "torch"]
    assert list(conda_providers("rich", conda, builtin_mapping())) == []


def test_renamed_compares_normalized_names() -> None:
    assert renamed("pytorch", "torch")
    assert not renamed("typing_extensions", "typing-extensions")


def test_the_guard_locates_both_entries(tmp_path: Path) -> None:
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(
        "version: 1\nname: x\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
        "conda: [python 3.12.*, pytorch]\npip: [torch, rich]\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as info:
        check_no_overlap(load_spec(spec_path), builtin_mapping())
    message = str(info.value)
    assert "`torch` is also requested in the conda layer" in message
    assert "(conda `pytorch` installs the PyPI distribution `torch`)" in message
    assert "rich" not in message


def _spec(tmp_path: Path, body: str) -> Spec:
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text("version: 1\nname: x\nchannels: [conda-forge]\n" + body, "utf-8")
    return load_spec(spec_path)


def test_entries_that_never_meet_on_a_platform_are_no_overlap(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "platforms: [linux-64, osx-arm64]\n"
        "conda:\n  - python 3.12.*\n  - {spec: numpy, platforms: [linux-64]}\n"
        "pip:\n  - numpy; sys_platform == \"darwin\"\n",
    )
    check_no_overlap(spec, builtin_mapping())


def test_a_marker_that_holds_where_conda_has_it_is_refused_naming_the_platform(
    tmp_path: Path,
) -> None:
    spec = _spec(
        tmp_path,
        "platforms: [linux-64, osx-arm64]\n"
        "conda:\n  - python 3.12.*\n  - {spec: numpy, platforms: [linux-64]}\n"
        "pip:\n  - numpy; platform_system != \"Windows\"\n",
    )
    with pytest.raises(SpecError) as info:
        check_no_overlap(spec, builtin_mapping())
    assert "is also requested in the conda layer on linux-64 at" in str(info.value)


@pytest.mark.parametrize(
    ("python", "marker", "meets"),
    [
        ('python: "3.12"\n', 'python_version < "3.11"', False),
        ('python: "3.12"\n', 'python_version >= "3.11"', True),
        ('python: "3.12.4"\n', 'python_full_version < "3.12.3"', False),
        ("", 'python_version < "3.11"', True),  # no `python:`: some Python may meet it
        ('python: "3.12"\n', 'platform_machine == "arm64"', False),  # linux-64 is x86_64
        ('python: "3.12"\n', 'platform_machine == "x86_64" and os_name == "posix"', True),
    ],
)
def test_markers_are_evaluated_with_the_platform_and_the_spec_python(
    tmp_path: Path, python: str, marker: str, meets: bool
) -> None:
    body = f"platforms: [linux-64]\n{python}conda: [numpy]\npip:\n  - 'numpy; {marker}'\n"
    spec = _spec(tmp_path, body)
    if meets:
        with pytest.raises(SpecError):
            check_no_overlap(spec, builtin_mapping())
    else:
        check_no_overlap(spec, builtin_mapping())


def test_a_vendored_name_of_the_mapping_is_no_overlap(
    tmp_path: Path, shared_mapping: Path
) -> None:
    # The published mapping lists `iniconfig` for conda's `py`, which only vendored it.
    spec = _spec(tmp_path, "platforms: [linux-64]\nconda: [py]\npip: [iniconfig]\n")
    check_no_overlap(spec, load_mapping("conda-forge", override=str(shared_mapping)))



def test_a_conda_request_and_its_own_name_in_pip_overlap(
    tmp_path: Path, shared_mapping: Path
) -> None:
    # Conda's msgpack-python installs `msgpack`; pip's `msgpack-python` is still the same
    # package requested twice.
    body = "platforms: [linux-64]\nconda: [msgpack-python]\npip: [msgpack-python]\n"
    spec = _spec(tmp_path, body)
    with pytest.raises(SpecError):
        check_no_overlap(spec, load_mapping("conda-forge", override=str(shared_mapping)))
