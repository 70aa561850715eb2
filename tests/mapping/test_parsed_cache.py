"""The parsed mapping table is kept by the document's digest: a second load of the same
document is not parsed again, a changed or malformed document is, and a damaged cache copy is
parsed again rather than trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hybrid.errors import BackendError
from hybrid.mapping.compressed import NameTable, parse_compressed_mapping
from hybrid.mapping.load import load_mapping
from hybrid.mapping.parsed_cache import parsed_table

DOCUMENT = json.dumps({"pytorch": ["torch"], "libgcc": None, "scikit-learn": ["scikit-learn"]})


class _Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes) -> NameTable:
        self.calls += 1
        return parse_compressed_mapping(data, source="test")


def test_a_document_is_parsed_once(tmp_path: Path) -> None:
    parse = _Counting()
    first = parsed_table(DOCUMENT.encode(), parse, cache_dir=tmp_path)
    second = parsed_table(DOCUMENT.encode(), parse, cache_dir=tmp_path)
    assert first == second == parse_compressed_mapping(DOCUMENT.encode(), source="test")
    assert parse.calls == 1
    changed = DOCUMENT.replace('["torch"]', '["torch-other"]').encode()
    assert parsed_table(changed, parse, cache_dir=tmp_path)["pytorch"] == ("torch-other",)
    assert parse.calls == 2


def test_a_damaged_copy_is_parsed_again(tmp_path: Path) -> None:
    parse = _Counting()
    parsed_table(DOCUMENT.encode(), parse, cache_dir=tmp_path)
    (copy,) = (tmp_path / "mapping" / "parsed").iterdir()
    copy.write_bytes(b"\x00not marshal")
    assert parsed_table(DOCUMENT.encode(), parse, cache_dir=tmp_path)["pytorch"] == ("torch",)
    assert parse.calls == 2


def test_a_malformed_document_is_refused_every_time(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"pytorch": "torch"}', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(BackendError, match="expected a list or null"):
            load_mapping("conda-forge", override=str(mapping), cache_dir=tmp_path / "cache")


def test_an_override_file_loads_from_the_cache(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text(DOCUMENT, encoding="utf-8")
    cache = tmp_path / "cache"
    first = load_mapping("conda-forge", override=str(mapping), cache_dir=cache)
    assert list((cache / "mapping" / "parsed").iterdir())
    second = load_mapping("conda-forge", override=str(mapping), cache_dir=cache)
    assert first.table == second.table
    assert second.table["pytorch"] == ("torch",)
