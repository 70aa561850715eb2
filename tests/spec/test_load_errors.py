"""What a user sees for a bad spec: every problem, each with `file:line:column`, field and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from hybrid.errors import SpecError
from hybrid.spec import load_spec
from tests.spec.conftest import CheckSpec

HEAD = "version: 1\nname: demo\n"


# --- all problems at once, each located ------------------------------------------------------


def test_every_schema_problem_is_reported_with_its_position(check_spec: CheckSpec) -> None:
    result = check_spec(
        "version: 1\n"
        "name: vision-lab\n"
        "python: 3.10\n"
        "cuda: 12.0\n"
        "platforms: [linux-64, win64]\n"
        "platfroms: [linux-64]\n"
        "system: {glibc: 2.28}\n"
        "snapshot: 2026-06-01\n"
        "channels: []\n"
        "pip: requests\n"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {result.path}: 7 problem(s)\n")
    assert result.problems == [
        '3:9: python: YAML reads `3.10` as the number 3.1, not as text; write it in quotes: "3.10"',
        '4:7: cuda: YAML reads `12.0` as the number 12.0, not as text; write it in quotes: "12.0"',
        "5:23: platforms[1]: 'win64' is not one of linux-64, linux-aarch64, linux-ppc64le, "
        "osx-64, osx-arm64, win-64; did you mean `win-64`?",
        "6:1: platfroms: unknown key `platfroms`; did you mean `platforms`?",
        "7:17: system.glibc: YAML reads `2.28` as the number 2.28, not as text; "
        'write it in quotes: "2.28"',
        "9:11: channels: must not be empty",
        "10:6: pip: expected a list or a mapping, got 'requests'",
    ]


def test_entry_problems_are_reported_together(check_spec: CheckSpec) -> None:
    result = check_spec(
        HEAD
        + 'python: "3.11"\n'
        + "snapshot: 2026-13-01\n"
        + "conda:\n"
        + "  - numpy >=1.26\n"
        + '  - "numpy[[["\n'
        + "  - python 3.12\n"
        + "  - {spec: '>=3', platforms: [win-64]}\n"
        + "pip:\n"
        + "  - requests >=\n"
        + "  - wandb\n"
        + "  - foo bar\n"
    )
    assert result.exit_code == 2
    assert len(result.problems) == 6, result.stderr
    assert result.has("4:11", "snapshot: '2026-13-01' is not a valid date", "month")
    assert result.has("7:5", "conda[1]: `numpy[[[` is not a valid conda match spec")
    assert result.has("8:5", "conda[2]: `python` is also set by the `python:` key", ":3:9)")
    assert result.has("9:12", "conda[3]: `>=3` is not a valid conda match spec", "name")
    assert result.has("11:5", "pip[0]: `requests >=` is not a valid PEP 508 requirement")
    assert result.has("13:5", "pip[2]: `foo bar` is not a valid PEP 508 requirement")


def test_a_match_spec_error_stays_on_one_line(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "conda: ['a::b::c']\n")
    assert result.exit_code == 2
    (problem,) = result.problems
    assert problem.startswith("3:9: conda[0]: `a::b::c` is not a valid conda match spec: ")
    assert "invalid channel" in problem
    assert len(result.stderr.splitlines()) == 2


@pytest.mark.parametrize(
    ("entry", "valid"),
    [
        ("numpy", True),
        ("numpy >=1.26,<2", True),
        ("conda-forge::numpy 1.26.*", True),
        ("pytorch=2.4=*cuda*", True),
        ("numpy[build=py311*]", True),
        ("numpy ==", False),
        ("*", False),
        ("numpy[md5=z]", False),
        (">=1.2", False),
    ],
)
def test_conda_entries_are_real_match_specs(check_spec: CheckSpec, entry: str, valid: bool) -> None:
    result = check_spec(HEAD + "channels: [conda-forge]\nconda:\n  - '" + entry + "'\n")
    if valid:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 2
        assert result.has("5:5", f"conda[0]: `{entry}` is not a valid conda match spec: ")


@pytest.mark.parametrize(
    ("entry", "valid"),
    [
        ("requests", True),
        ("requests[socks] >=2.31; python_version >= '3.9'", True),
        ("torch @ https://example.org/torch-2.4-py3-none-any.whl", True),
        ("requests >=", False),
        ("requests; python_version >=", False),
        ("-e .", False),
        ("requests==2.*.1", False),
    ],
)
def test_pip_entries_are_pep_508(check_spec: CheckSpec, entry: str, valid: bool) -> None:
    result = check_spec(HEAD + 'pip:\n  - "' + entry + '"\n')
    if valid:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 2
        assert result.has("4:5", f"pip[0]: `{entry}` is not a valid PEP 508 requirement: ")


def test_semantic_checks_name_both_places(check_spec: CheckSpec) -> None:
    result = check_spec(
        HEAD
        + "platforms: [linux-64, osx-arm64]\n"
        + "conda:\n"
        + "  - numpy\n"
        + "  - {spec: numpy >=2, platforms: [linux-64]}\n"
        + "  - {spec: pywin32, platforms: [win-64]}\n"
        + "  - pytorch::pytorch\n"
        + "pip:\n"
        + "  - Requests\n"
        + "  - requests>=2\n"
    )
    assert result.exit_code == 2
    assert result.has("6:12", "conda[1]: `numpy` is already requested at conda[0] (line 5)")
    assert result.has("7:32", "conda[2].platforms: win-64 is not among the spec's platforms")
    assert result.has("8:5", "conda[3]: `pytorch::pytorch` asks for channel `pytorch`")
    assert result.has("11:5", "pip[1]: `requests` is already requested at pip[0] (line 10)")


def test_missing_required_keys(check_spec: CheckSpec) -> None:
    result = check_spec("channels: [conda-forge]\n")
    assert result.exit_code == 2
    assert result.problems == [
        "1:1: (document): missing required key `name`",
        "1:1: (document): missing required key `version`",
    ]


def test_wrong_version(check_spec: CheckSpec) -> None:
    result = check_spec("version: 2\nname: demo\n")
    assert result.problems == ["1:10: version: must be 1, got 2"]


# --- unknown keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "chanels: [conda-forge]\n",
            "3:1: chanels: unknown key `chanels`; did you mean `channels`?",
        ),
        ("pip_index: {}\n", "3:1: pip_index: unknown key `pip_index`; did you mean `pip-index`?"),
        (
            "system:\n  glibcc: '2.28'\n",
            "4:3: system.glibcc: unknown key `glibcc`; did you mean `glibc`?",
        ),
        (
            "pip-index: {index_url: x}\n",
            "3:13: pip-index.index_url: unknown key `index_url`; did you mean `index-url`?",
        ),
        (
            "conda:\n  - {spec: numpy, platfroms: [win-64]}\n",
            "4:19: conda[0].platfroms: unknown key `platfroms`; did you mean `platforms`?",
        ),
    ],
)
def test_unknown_keys_suggest_the_close_one(check_spec: CheckSpec, text: str, problem: str) -> None:
    result = check_spec(HEAD + text)
    assert result.exit_code == 2
    assert result.problems == [problem]


def test_unknown_key_without_a_close_one_lists_the_known_keys(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "zebra: 1\n")
    (problem,) = result.problems
    assert problem.startswith("3:1: zebra: unknown key `zebra`; known keys: channels, conda, ")
    assert "did you mean" not in problem


def test_a_non_text_key_is_located_where_it_is(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "conda: []\n1: x\n")
    assert result.problems[0].startswith("4:1: 1: unknown key `1`")


def test_invisible_characters_in_a_key_are_shown_and_stay_on_one_line(
    check_spec: CheckSpec,
) -> None:
    result = check_spec(HEAD + '"pip\\u2028": []\n')
    assert result.problems == ["3:1: pip\\u2028: unknown key `pip\\u2028`; did you mean `pip`?"]
    assert len(result.stderr.splitlines()) == 2


# --- YAML traps ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "python: 3.10",
            "3:9: python: YAML reads `3.10` as the number 3.1, not as text; "
            'write it in quotes: "3.10"',
        ),
        (
            "python: 3",
            '3:9: python: YAML reads `3` as the number 3, not as text; write it in quotes: "3"',
        ),
        (
            "cuda: 12.0",
            "3:7: cuda: YAML reads `12.0` as the number 12.0, not as text; "
            'write it in quotes: "12.0"',
        ),
        (
            "cuda: [cpu, 12.0]",
            "3:13: cuda[1]: YAML reads `12.0` as the number 12.0, not as "
            'text; write it in quotes: "12.0"',
        ),
        (
            "system: {glibc: 2.28}",
            "3:17: system.glibc: YAML reads `2.28` as the number 2.28, "
            'not as text; write it in quotes: "2.28"',
        ),
        (
            "system: {macos: 11.0, linux: 5}",
            "3:17: system.macos: YAML reads `11.0` as the "
            'number 11.0, not as text; write it in quotes: "11.0"',
        ),
        (
            "system:\n  glibc: 2.17  # CentOS 7",
            "4:10: system.glibc: YAML reads `2.17` as the "
            'number 2.17, not as text; write it in quotes: "2.17"',
        ),
    ],
)
def test_numbers_where_text_is_expected(check_spec: CheckSpec, line: str, problem: str) -> None:
    result = check_spec(HEAD + line + "\n")
    assert result.exit_code == 2
    assert problem in result.problems


def test_a_tab_in_indentation(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "conda:\n\t- numpy\n")
    assert result.exit_code == 2
    (problem,) = result.problems
    assert problem.startswith("4:1: invalid YAML: ")
    assert "tab" in problem


def test_a_duplicate_key(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "conda: [numpy]\nname: other\n")
    assert result.exit_code == 2
    (problem,) = result.problems
    assert problem.startswith("4:1: invalid YAML: ")
    assert 'duplicate key "name"' in problem


def test_crlf_line_endings_load_fine(check_spec: CheckSpec) -> None:
    text = HEAD + 'python: "3.11"\nconda:\n  - numpy >=1.26\npip:\n  - wandb\n'
    result = check_spec(text.replace("\n", "\r\n"))
    assert result.exit_code == 0, result.stderr
    assert "1 conda and 1 pip entries" in result.stdout


def test_crlf_positions_are_right(check_spec: CheckSpec) -> None:
    result = check_spec((HEAD + "conda:\n  - numpy\n  - 'numpy ['\n").replace("\n", "\r\n"))
    assert result.has("5:5", "conda[1]: `numpy [` is not a valid conda match spec")


def test_a_byte_order_mark_is_accepted(check_spec: CheckSpec) -> None:
    result = check_spec(b"\xef\xbb\xbf" + HEAD.encode())
    assert result.exit_code == 0, result.stderr


def test_a_byte_order_mark_does_not_shift_columns(check_spec: CheckSpec) -> None:
    result = check_spec(b"\xef\xbb\xbfpython: 3.10\n" + HEAD.encode())
    assert "python: YAML reads `3.10` as the number 3.1" in result.stderr
    assert result.has("1:9", "python: YAML reads `3.10`")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_an_empty_file(check_spec: CheckSpec, text: str) -> None:
    result = check_spec(text)
    assert result.exit_code == 2
    assert result.problems == [
        "1:1: (document): expected a mapping of spec keys, the file is empty"
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- numpy\n- scipy\n", "a list"), ("numpy\n", "a single string"), ("3.10\n", "a number")],
)
def test_a_top_level_that_is_not_a_mapping(check_spec: CheckSpec, text: str, kind: str) -> None:
    result = check_spec(text)
    assert result.exit_code == 2
    assert result.problems == [
        f"1:1: (document): expected a mapping of spec keys, the file is {kind}"
    ]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"version: 1\nname: caf\xe9\n", ": not UTF-8 text (byte 20: 0xe9)"),
        (b"\xff\xfev\x00", ": not UTF-8 text (byte 0: 0xff)"),
    ],
)
def test_bytes_that_are_not_utf8(check_spec: CheckSpec, raw: bytes, problem: str) -> None:
    result = check_spec(raw)
    assert result.exit_code == 2
    assert result.problems == [problem]


def test_a_control_character_is_located(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "conda:\n  - num\x07py\n")
    assert result.exit_code == 2
    (problem,) = result.problems
    assert problem.startswith("4:8: invalid YAML: character U+0007 is not allowed")


def test_more_than_one_document(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "---\n" + HEAD)
    assert result.exit_code == 2
    (problem,) = result.problems
    assert problem.startswith("3:1: invalid YAML: ")


def test_a_missing_file(check_spec: CheckSpec, tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        load_spec(tmp_path / "nope.yaml")
    assert raised.value.problems == [f"{tmp_path / 'nope.yaml'}: no such file"]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "instant"),
    [
        ("2026-06-01", dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)),
        ('"2026-06-01"', dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)),
        ("2026-06-01T12:30:00Z", dt.datetime(2026, 6, 1, 12, 30, tzinfo=dt.timezone.utc)),
        ("2026-06-01 12:30:00", dt.datetime(2026, 6, 1, 12, 30, tzinfo=dt.timezone.utc)),
        (
            "2026-06-01T12:30:00+02:00",
            dt.datetime(2026, 6, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
    ],
)
def test_snapshot_dates_are_accepted_unquoted(
    write_spec: Callable[[str], Path], written: str, instant: dt.datetime
) -> None:
    spec = load_spec(write_spec(f"{HEAD}snapshot: {written}\n"))
    assert spec.snapshot == instant
    assert spec.snapshot is not None and spec.snapshot.utcoffset() == instant.utcoffset()


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2026-13-01", "month must be in 1..12"),
        ("2026-02-30", "day is out of range for month"),
        ("2026-06-01T25:00:00Z", ""),
    ],
)
def test_impossible_snapshot_dates(check_spec: CheckSpec, written: str, reason: str) -> None:
    result = check_spec(f"{HEAD}conda: []\nsnapshot: {written}\n")
    assert result.exit_code == 2
    assert result.has("4:11", f"snapshot: '{written}' is not a valid date", reason)


@pytest.mark.parametrize("written", ["June 1st", "2026-6-1", "2026/06/01", '"2026-06-01\\n"'])
def test_snapshot_that_is_not_a_date(check_spec: CheckSpec, written: str) -> None:
    result = check_spec(f"{HEAD}snapshot: {written}\n")
    assert result.exit_code == 2
    assert result.has("3:11", "snapshot: ", "is not a date (2026-06-01) or an RFC 3339 instant")


def test_snapshot_with_exemptions(write_spec: Callable[[str], Path]) -> None:
    spec = load_spec(write_spec(f"{HEAD}snapshot: {{date: 2026-06-01, exempt: [Torch]}}\n"))
    assert spec.snapshot == dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    assert spec.snapshot_exempt == ("torch",)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("snapshot: {date: 2026-13-01}", "3:18: snapshot.date: '2026-13-01' is not a valid date"),
        ("snapshot: {exempt: [torch]}", "3:11: snapshot: missing required key `date`"),
        (
            "snapshot: {date: 2026-06-01, exempt: [-torch]}",
            "3:39: snapshot.exempt[0]: '-torch' is not a PyPI distribution name",
        ),
        (
            "snapshot: {date: 2026-06-01, exmpt: [torch]}",
            "3:30: snapshot.exmpt: unknown key `exmpt`; did you mean `exempt`?",
        ),
    ],
)
def test_snapshot_with_exemptions_problems(check_spec: CheckSpec, line: str, problem: str) -> None:
    result = check_spec(HEAD + line + "\n")
    assert result.exit_code == 2
    assert any(p.startswith(problem) for p in result.problems), result.problems


# --- values a pattern must match in full -----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('name: "demo\\n"', "2:7: name: 'demo\\n' is not a valid environment name"),
        ('python: "3.11\\n"', "3:9: python: '3.11\\n' is not a Python version"),
        ('cuda: "12.4\\n"', "3:7: cuda: '12.4\\n' is not a CUDA variant"),
    ],
)
def test_a_trailing_newline_does_not_pass_a_pattern(
    check_spec: CheckSpec, line: str, problem: str
) -> None:
    text = HEAD + line + "\n" if not line.startswith("name") else "version: 1\n" + line + "\n"
    result = check_spec(text)
    assert result.exit_code == 2
    assert any(p.startswith(problem) for p in result.problems), result.problems


# --- hostile structure -----------------------------------------------------------------------


def test_a_recursive_anchor(check_spec: CheckSpec) -> None:
    result = check_spec("&spec {version: 1, name: demo, conda: *spec}\n")
    assert result.exit_code == 2
    assert result.problems == [
        "1:1: invalid YAML: this mapping or list contains itself through an alias "
        "(a recursive anchor)"
    ]


def test_anchors_and_aliases_are_fine(check_spec: CheckSpec) -> None:
    result = check_spec(
        HEAD + "channels: &c [conda-forge]\nconda:\n  - {spec: numpy, platforms: [linux-64]}\n"
    )
    assert result.exit_code == 0, result.stderr


def test_nested_lists_where_text_is_expected(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "conda: " + "[" * 50 + "]" * 50 + "\n")
    assert result.problems == ["3:9: conda[0]: expected a string or a mapping, got a list"]


def test_nesting_deeper_than_the_parser_can_go(check_spec: CheckSpec) -> None:
    result = check_spec(HEAD + "conda: " + "[" * 400 + "]" * 400 + "\n")
    assert result.exit_code == 2
    assert result.problems == [": invalid YAML: nested too deeply"]
