"""Hypothesis tests for the small parsers of spec/: instants, field paths, shown text."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hybrid.errors import SpecError
from hybrid.spec import load_spec
from hybrid.spec.location import PathPart, field_path, printable
from hybrid.spec.normalize import parse_instant
from tests.spec.schema_walk import SCHEMA, walk

UTC = dt.timezone.utc


def _snapshot_pattern() -> str:
    """The pattern a snapshot date must match, wherever the schema keeps it."""
    dated = {
        node["pattern"]
        for path, node in walk(SCHEMA)
        if path[:1] == ("snapshot",) and "[0-9]{4}-" in node.get("pattern", "")
    }
    assert len(dated) == 1, dated
    return str(dated.pop())


SNAPSHOT_PATTERN = _snapshot_pattern()
WITH_FILES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

offsets = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
aware = st.datetimes(
    min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=offsets
)
naive = st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9998, 12, 31))


# --- parse_instant ---------------------------------------------------------------------------


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_a_date_is_midnight_utc(day: dt.date) -> None:
    assert parse_instant(day.isoformat()) == dt.datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert parse_instant(day.isoformat()).utcoffset() == dt.timedelta(0)


@given(aware, st.sampled_from(["T", " "]), st.sampled_from(["seconds", "microseconds"]))
def test_an_instant_round_trips_with_its_offset(
    instant: dt.datetime, separator: str, timespec: str
) -> None:
    if timespec == "seconds":
        instant = instant.replace(microsecond=0)
    text = instant.isoformat(sep=separator, timespec=timespec)
    parsed = parse_instant(text)
    assert parsed == instant
    assert parsed.utcoffset() == instant.utcoffset()
    assert re.search(SNAPSHOT_PATTERN, text)


@given(naive)
def test_z_and_no_offset_both_mean_utc(instant: dt.datetime) -> None:
    written = instant.isoformat()
    assert parse_instant(written + "Z") == parse_instant(written) == instant.replace(tzinfo=UTC)


@given(st.from_regex(SNAPSHOT_PATTERN, fullmatch=True))
@example("2026-13-01")
@example("2026-02-30T10:00")
@example("2026-06-01T24:00:00Z")
@example("2026-06-01T12:00:00.1234567+0530")
def test_whatever_the_schema_lets_through_parses_or_is_a_value_error(text: str) -> None:
    try:
        parsed = parse_instant(text)
    except ValueError:
        return
    assert parsed.tzinfo is not None
    again = parsed.isoformat()
    assert re.search(SNAPSHOT_PATTERN, again), "to_dict's snapshot must be a valid snapshot"
    assert parse_instant(again) == parsed


@WITH_FILES
@given(instant=st.one_of(aware, naive, st.dates(min_value=dt.date(1000, 1, 1))))
@example(instant=dt.date(2026, 6, 1))
def test_snapshot_round_trips_through_a_spec_file(
    write_spec: Callable[[str], Path], instant: dt.datetime | dt.date
) -> None:
    written = instant.isoformat()
    spec = load_spec(write_spec(f"version: 1\nname: demo\nsnapshot: {written}\n"))
    assert spec.snapshot == parse_instant(written)
    assert spec.to_dict()["snapshot"] == parse_instant(written).isoformat()


# --- field_path ------------------------------------------------------------------------------

keys = st.from_regex(r"[a-z][a-z0-9_-]{0,10}", fullmatch=True)
paths = st.tuples(keys, st.lists(st.one_of(keys, st.integers(0, 10_000)), max_size=6)).map(
    lambda parts: [parts[0], *parts[1]]
)


def parse_field_path(text: str) -> list[PathPart]:
    """The inverse of `field_path` for keys without `.` or `[`: `conda[2].spec` -> parts."""
    parts: list[PathPart] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text):
        parts.append(int(index) if index else name)
    return parts


def test_field_path_examples() -> None:
    assert field_path([]) == "(document)"
    assert field_path(["conda", 2]) == "conda[2]"
    assert field_path(["conda", 2, "spec"]) == "conda[2].spec"
    assert field_path(["pip-index", "extra-index-urls", 0]) == "pip-index.extra-index-urls[0]"
    assert field_path([0, 1]) == "[0][1]"


@given(paths)
def test_field_path_round_trips(path: list[PathPart]) -> None:
    text = field_path(path)
    assert parse_field_path(text) == path
    assert text.startswith(str(path[0]))
    assert text.count("[") == sum(isinstance(p, int) for p in path)
    assert ".." not in text and not text.endswith(".")


@given(paths, st.integers(0, 10_000))
def test_an_index_is_appended_in_brackets(path: list[PathPart], index: int) -> None:
    assert field_path([*path, index]) == f"{field_path(path)}[{index}]"


# --- printable -------------------------------------------------------------------------------


@given(st.text())
@example("a\nb")
@example("pip\u2028")
@example("\x1e\x85\ufeff")
def test_printable_text_is_one_visible_line(text: str) -> None:
    shown = printable(text)
    assert shown.isprintable()
    assert len(shown.splitlines()) <= 1
    if text.isprintable():
        assert shown == text


# Digits and dots, and what must not pass for them: a newline, a space, an Arabic-Indic three.
VERSION_CHARS = [*"0123456789.", "\n", " ", "a", "\u0663"]


# --- schema patterns are matched in full, as ECMA-262 reads them ------------------------------


@WITH_FILES
@given(value=st.text(st.sampled_from(VERSION_CHARS), max_size=9))
@example(value="3.11")
@example(value="3.11\n")
@example(value="3.\u0663")
def test_python_is_accepted_exactly_when_it_is_a_version(
    write_spec: Callable[[str], Path], value: str
) -> None:
    path = write_spec(f"version: 1\nname: demo\npython: {json.dumps(value)}\n")
    is_version = re.fullmatch(r"[0-9]+(\.[0-9]+){0,2}", value) is not None
    if is_version:
        assert load_spec(path).python == value
    else:
        with pytest.raises(SpecError, match="is not a Python version"):
            load_spec(path)
