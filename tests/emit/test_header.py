"""The output header: `seal` records the body's digest, `parse_output` verifies it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hybrid.emit.header import (
    BODY_HASH_KEY,
    INPUT_HASH_KEY,
    Header,
    body_digest,
    format_inputs,
    parse_inputs,
    parse_output,
    seal,
)

HEADER = Header(spec_name="spec.yaml", input_hash="sha256:abc", extra=(("platform", "linux-64"),))
BODY = "@EXPLICIT\nhttps://example.org/linux-64/a-1-0.conda#0123\n"


def _sealed(body: str = BODY) -> str:
    return seal("\n".join(HEADER.lines()) + "\n" + body)


def test_the_digest_is_the_last_header_line() -> None:
    lines = _sealed().splitlines()
    assert lines[len(HEADER.lines())] == f"# {BODY_HASH_KEY}: {body_digest(BODY)}"
    assert lines[len(HEADER.lines()) - 1].startswith(f"# {INPUT_HASH_KEY}: ")
    assert _sealed().endswith(BODY)


def test_sealing_is_deterministic() -> None:
    assert _sealed() == _sealed()


def test_a_sealed_output_is_intact() -> None:
    output = parse_output(_sealed())
    assert output.body_intact
    assert output.value(INPUT_HASH_KEY) == "sha256:abc"
    assert output.value("platform") == "linux-64"
    assert output.tool_version is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) - 10],  # truncated
        lambda text: text + "https://example.org/linux-64/b-1-0.conda#4567\n",  # appended
        lambda text: text.replace("a-1-0", "a-2-0"),  # a package swapped
        lambda text: text.rstrip("\n"),  # the final newline lost
    ],
)
def test_an_edited_body_is_not_intact(damage: Callable[[str], str]) -> None:
    assert not parse_output(damage(_sealed())).body_intact


def test_without_a_digest_nothing_is_intact() -> None:
    text = "\n".join(HEADER.lines()) + "\n" + BODY
    output = parse_output(text)
    assert not output.body_intact
    assert output.value(INPUT_HASH_KEY) == "sha256:abc"


def test_an_empty_file_is_not_intact() -> None:
    output = parse_output("")
    assert not output.body_intact and output.header == () and output.tool_version is None


def test_a_body_starting_with_comments_stays_body() -> None:
    body = "# a comment the writer put in its body\nname: x\n"
    output = parse_output(_sealed(body))
    assert output.body_intact
    assert output.header[-1].startswith(f"# {BODY_HASH_KEY}: ")


def test_a_header_without_an_input_hash_cannot_be_sealed() -> None:
    with pytest.raises(ValueError, match="input-hash"):
        seal("# just a comment\nbody\n")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_any_body_round_trips(body: str) -> None:
    assert parse_output(_sealed(body)).body_intact


@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9:._-]{0,20}", fullmatch=True),
                       st.from_regex(r"[0-9a-f]{8}", fullmatch=True)))
def test_inputs_round_trip(parts: dict[str, str]) -> None:
    assert parse_inputs(format_inputs(parts)) == parts
