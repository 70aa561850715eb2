"""Parsing the parselmouth compressed mapping: real snapshot, malformed documents, fuzzing."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from hybrid.errors import BackendError
from hybrid.mapping import parse_compressed_mapping
from hybrid.mapping.compressed import NameTable

SOURCE = "test-source.json"


def parse(document: object) -> NameTable:
    return parse_compressed_mapping(json.dumps(document).encode(), source=SOURCE)


def test_entries_are_canonicalised_deduplicated_and_own_name_first() -> None:
    table = parse(
        {
            "pytorch": ["torch"],
            "libgcc": None,
            "Ruamel.Yaml": ["ruamel.yaml"],
            "py-lief": ["LIEF", "lief"],
            "jaxlib": ["jax-cuda12-plugin", "jaxlib", "jax_cuda12_pjrt"],
            "empty": [],
        }
    )
    assert table == {
        "pytorch": ("torch",),
        "libgcc": (),
        "ruamel.yaml": ("ruamel-yaml",),
        "py-lief": ("lief",),
        "jaxlib": ("jaxlib", "jax-cuda12-pjrt", "jax-cuda12-plugin"),
        "empty": (),
    }


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_compressed_mapping(b'\xef\xbb\xbf{"a": ["b"]}', source=SOURCE) == {"a": ("b",)}


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"", "not JSON"),
        (b"<html>rate limited</html>", "not JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'["pytorch", "torch"]', "is a JSON array, not an object"),
        (b"null", "is a JSON null, not an object"),
        (b'{"pytorch": "torch"}', 'entry "pytorch" is a JSON string, expected a list or null'),
        (b'{"pytorch": {"torch": 1}}', 'entry "pytorch" is a JSON object'),
        (b'{"pytorch": ["torch", 2]}', 'entry "pytorch"[1] is a JSON number'),
        (b'{"pytorch": [null]}', 'entry "pytorch"[0] is a JSON null'),
        (b'{"x": ["not a name"]}', 'entry "x"[0] is "not a name", expected a PyPI name'),
        (b'{"x": [""]}', 'entry "x"[0] is ""'),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_malformed_documents_are_backend_errors_naming_the_source(data: bytes, detail: str) -> None:
    with pytest.raises(BackendError) as caught:
        parse_compressed_mapping(data, source=SOURCE)
    assert SOURCE in str(caught.value)
    assert detail in str(caught.value)
    assert caught.value.hint is not None


def test_the_real_snapshot_parses_into_canonical_names(shared_mapping: Path) -> None:
    table = parse_compressed_mapping(shared_mapping.read_bytes(), source=str(shared_mapping))
    assert len(table) > 30_000
    assert all(name == canonicalize_name(name) for names in table.values() for name in names)
    assert table["pytorch"] == ("torch",)
    assert table["libgcc"] == ()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=25,
)
# Documents shaped almost like a mapping, so that validation goes past the top level.
near_mappings = st.dictionaries(
    st.text(),
    st.none() | st.lists(st.text() | json_values, max_size=4) | json_values,
    max_size=6,
)


@given(st.one_of(json_values, near_mappings))
def test_any_json_either_parses_or_raises_backend_error(document: object) -> None:
    try:
        table = parse(document)
    except BackendError as exc:
        assert SOURCE in str(exc)
    else:
        assert all(isinstance(names, tuple) for names in table.values())


@given(st.binary(max_size=200))
def test_any_bytes_either_parse_or_raise_backend_error(data: bytes) -> None:
    with contextlib.suppress(BackendError):
        parse_compressed_mapping(data, source=SOURCE)


pypi_names = st.from_regex(r"\A[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?\Z")


@given(st.dictionaries(st.from_regex(r"\A[a-z0-9_.-]{1,12}\Z"), st.lists(pypi_names, max_size=3)))
def test_well_formed_documents_keep_every_name(document: dict[str, list[str]]) -> None:
    table = parse(document)
    assert set(table) == set(document)
    for conda_name, names in document.items():
        assert set(table[conda_name]) == {canonicalize_name(n) for n in names}
