"""The both-layers rule: a pip requirement that a conda request already installs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from hybrid.errors import SpecError
from hybrid.guards.overlap import check_no_overlap, conda_providers, renamed
from hybrid.mapping import builtin_mapping
from hybrid.spec.load import load_spec


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
