"""`dump_block` against PyYAML itself: the same bytes as `yaml.dump(data, sort_keys=False)`
for the shapes conda-lock writes, and for the strings where PyYAML's choices are subtle
(YAML 1.1 look-alikes, indicators, long lines folded at 80 columns, escapes)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from hypothesis import given
from hypothesis import strategies as st

from hybrid.emit.pyyaml_block import dump_block


def pyyaml(data: dict[str, Any]) -> str:
    return str(yaml.dump(data, sort_keys=False))


# Characters that steer PyYAML's style choice, with letters and digits in between.
_CHARS = st.sampled_from(
    [*"abzXZ0189 .-_:#'\"*!&?,[]{}>|%@`~=<+/\\\t\n", "é", "\x85", "\u2028", "\x00", "\ufeff",
     "\U0001f600", "\xa0"]
)  # fmt: skip
_LOOKALIKES = st.sampled_from([
    "", "yes", "No", "ON", "1.0", "1e5", "1.0e+5", "0x1F", "0b101", "0777", "1_000", "12:30",
    "190:20:30.15", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "~", "null", "<<", "=",
    "-.inf", ".NaN", ".5", "3.11.* *_cp311", ">=1.2,<2.0a0", "*", "1.2.3", "- a", "a: b", "a #b",
    "---", "...x", " lead", "trail ", "!=1.0",
])  # fmt: skip
_WORDS = st.lists(st.text(st.sampled_from("ab:#'-é\\\""), max_size=12), min_size=1, max_size=25)
STRINGS = st.one_of(
    _LOOKALIKES, st.text(_CHARS, max_size=130), _WORDS.map(" ".join), _WORDS.map("  ".join)
)
SCALARS = st.one_of(STRINGS, st.booleans(), st.integers(min_value=0, max_value=10**6))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.dictionaries(STRINGS, inner, max_size=4),
        st.lists(st.one_of(SCALARS, st.dictionaries(STRINGS, inner, max_size=3)), max_size=3),
    ),
    max_leaves=12,
)


@given(st.dictionaries(STRINGS, VALUES, min_size=1, max_size=4))
def test_the_same_bytes_as_pyyaml(data: dict[str, Any]) -> None:
    assert dump_block(data) == pyyaml(data)


@pytest.mark.parametrize(
    "text",
    [
        "word " * 30 + "end",  # plain, folded past column 80
        "'" + "quoted word " * 12,  # single-quoted, folded
        "tab\tseparated " * 10,  # double-quoted, folded with a trailing backslash
        "x" * 200,  # one long word: never folded
    ],
)
def test_long_values_fold_as_pyyaml_folds_them(text: str) -> None:
    data: dict[str, Any] = {
        "package": [{"name": "a", "dependencies": {"dep": text}}], "k" * 130: text
    }
    assert dump_block(data) == pyyaml(data)
    assert yaml.safe_load(dump_block(data)) == data


def test_a_list_inside_a_list_is_refused() -> None:
    with pytest.raises(TypeError):
        dump_block({"a": [["b"]]})
