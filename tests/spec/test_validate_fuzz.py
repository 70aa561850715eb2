"""Hypothesis: no spec text, however malformed, makes `hybrid validate` crash.

Every generated file gives exit 0 (it happens to be valid) or exit 2 with located messages;
never exit 70 (an internal error is a bug) and never a traceback.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from hybrid.errors import ExitCode
from hybrid.spec.schema import top_level_keys
from tests.conftest import CliResult, RunCli

VALID_SPEC = """\
version: 1
name: vision-lab
channels: [conda-forge]
platforms: [linux-64, osx-arm64, win-64]
python: "3.11"
cuda: "12.4"
conda:
  - pytorch >=2.4
  - numpy >=1.26
  - {spec: pywin32, platforms: [win-64]}
pip:
  - transformers >=4.45
  - wandb
pip-index: {index-url: "https://pypi.org/simple", extra-index-urls: []}
system: {glibc: "2.28", macos: "11.0"}
snapshot: 2026-06-01
"""

# Examples per property: the Hypothesis profile (tests/conftest.py); `--hypothesis-profile
# deep` for a longer search.
FUZZ = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_HEAD = re.compile(r"^error: (?P<file>.+): (?P<count>\d+) problem\(s\)$")


_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def check_outcome(result: CliResult, spec: Path, text: str) -> None:
    """Exit 0 with a summary, or exit 2 with every problem located; nothing else."""
    assert result.exit_code != ExitCode.INTERNAL, f"internal error (a bug):\n{result.output}"
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        assert result.stdout.startswith(f"{spec}: valid"), result.output
        return
    lines = result.stderr.splitlines()
    head = _HEAD.match(lines[0])
    assert head is not None, result.stderr
    assert head["file"] == str(spec)
    count = int(head["count"])
    assert count >= 1
    located = re.compile(rf"^  {re.escape(str(spec))}(:\d+:\d+)?: ")
    problems = [line for line in lines[1:] if located.match(line)]
    assert len(problems) == count == len(lines) - 1, result.stderr
    for line in problems:
        position = re.match(rf"^  {re.escape(str(spec))}:(\d+):(\d+): ", line)
        if position is not None:
            last_line = len(_YAML_LINE_BREAK.findall(text)) + 1
            assert 1 <= int(position[1]) <= last_line, line
            assert int(position[2]) >= 1, line


def validate_text(run_cli: RunCli, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")
    check_outcome(run_cli("validate", path), path, text)


def validate_bytes(run_cli: RunCli, path: Path, raw: bytes) -> None:
    path.write_bytes(raw)
    check_outcome(run_cli("validate", path), path, raw.decode("utf-8", errors="replace"))


def test_the_base_spec_is_valid(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(VALID_SPEC, encoding="utf-8")
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output


# (a) random mutations of a valid spec's text -------------------------------------------------

_ANY_CHAR = st.characters(codec="utf-8", exclude_categories=["Cs"])
_YAML_CHAR = st.sampled_from([*":-[]{},#&*!|>'\"%@`?\t\n\r ", "\ufeff", "\x85", "\u2028"])


@st.composite
def mutated_spec(draw: st.DrawFn) -> str:
    text = VALID_SPEC
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["delete", "insert", "replace", "swap", "tab"]))
        lines = text.split("\n")
        if operation == "swap":
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
            continue
        at = draw(st.integers(0, len(text)))
        if operation == "delete":
            size = draw(st.integers(1, 12))
            text = text[:at] + text[at + size :]
        elif operation == "tab":
            text = text[:at] + "\t" + text[at:]
        else:
            piece = draw(st.text(st.one_of(_YAML_CHAR, _ANY_CHAR), min_size=1, max_size=6))
            size = 0 if operation == "insert" else draw(st.integers(1, 6))
            text = text[:at] + piece + text[at + size :]
    return text


@FUZZ
@given(text=mutated_spec())
@example(text=VALID_SPEC.replace("  - numpy", "\t- numpy"))
@example(text=VALID_SPEC.replace('"3.11"', "3.10"))
@example(text=VALID_SPEC.replace("\n", "\r\n"))
@example(text="\x1f" + VALID_SPEC)  # a control character: was an unlocated, two-line message
@example(text=VALID_SPEC.replace('macos: "11.0"', "macos: 11.0, linux: 5"))
@example(text=VALID_SPEC + "1: 2\n")  # a number as key: was located at 1:1
@example(text="&a {version: 1, name: x, conda: *a}\n")  # was a RecursionError (an internal error)
@example(text=VALID_SPEC + "x: " + "[" * 400 + "]" * 400 + "\n")  # was a RecursionError
@example(text=VALID_SPEC.replace("wandb", '"wandb\\u2028x"'))
def test_mutated_text_never_crashes(run_cli: RunCli, tmp_path: Path, text: str) -> None:
    validate_text(run_cli, tmp_path / "spec.yaml", text)


@FUZZ
@given(raw=st.binary(max_size=40), at=st.integers(0, len(VALID_SPEC)))
@example(raw=b"\xff\xfe", at=0)
@example(raw=b"\xef\xbb\xbf", at=0)
def test_arbitrary_bytes_never_crash(run_cli: RunCli, tmp_path: Path, raw: bytes, at: int) -> None:
    base = VALID_SPEC.encode("utf-8")
    validate_bytes(run_cli, tmp_path / "spec.yaml", base[:at] + raw + base[at:])


# (b) well-formed YAML with wrong types and values in random fields ---------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "3.10",
            "12.0",
            "2026-13-01",
            "2026-06-01",
            "cpu",
            "linux-64",
            "win64",
            "conda-forge",
            "numpy >=1",
            "",
            " ",
            "~",
            "null",
            "yes",
            "1e3",
        ]
    ),
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    )


JSON_LIKE = st.recursive(_SCALARS, _containers, max_leaves=12)
_KEYS = st.one_of(
    st.sampled_from(sorted(top_level_keys())),
    st.sampled_from(["platfroms", "chanels", "pyhton", "pip_index", "Conda", "glibc"]),
    st.text(min_size=1, max_size=10),
)
_NESTED_PATHS = st.sampled_from(
    [
        ("system", "glibc"),
        ("system", "linux"),
        ("system", "macos"),
        ("system", "libc"),
        ("pip-index", "index-url"),
        ("pip-index", "extra-index-urls"),
        ("pip-index", "find-links"),
        ("pip-index", "index_url"),
        ("conda", 2, "spec"),
        ("conda", 2, "platforms"),
        ("conda", 2, "platform"),
        ("conda", 0),
        ("pip", 1),
        ("platforms", 0),
        ("channels", 0),
        ("cuda",),
        ("snapshot", "date"),
        ("snapshot", "exempt"),
        ("snapshot", "exempt", 0),
    ]
)


def _dump(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _base_data() -> dict[str, Any]:
    return {
        "version": 1,
        "name": "vision-lab",
        "platforms": ["linux-64", "win-64"],
        "conda": ["numpy >=1.26", "python", {"spec": "pywin32", "platforms": ["win-64"]}],
        "pip": ["wandb", "requests"],
        "pip-index": {"index-url": "https://pypi.org/simple"},
        "system": {"glibc": "2.28"},
    }


def _place(data: Any, path: tuple[Any, ...], value: Any) -> None:
    """Set `value` at `path`, creating mappings on the way; skip a path that cannot exist."""
    node = data
    for part in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(part, {})
        elif _has_index(node, part):
            node = node[part]
        else:
            return
    last = path[-1]
    if isinstance(node, dict) or _has_index(node, last):
        node[last] = value


def _has_index(node: Any, part: Any) -> bool:
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


@FUZZ
@given(
    changes=st.lists(st.tuples(_KEYS, JSON_LIKE), min_size=1, max_size=4),
    nested=st.lists(st.tuples(_NESTED_PATHS, JSON_LIKE), max_size=3),
)
@example(changes=[("cuda", 12.0)], nested=[])  # was "expected a string or a list, got 12.0"
@example(changes=[("\x1e", None)], nested=[])  # the key's line break split the message
@example(changes=[(" ", None)], nested=[])
@example(changes=[("python", "3.11\n")], nested=[])  # passed the schema's `$`
@example(changes=[("snapshot", "2026-13-01")], nested=[])
def test_wrong_values_never_crash(
    run_cli: RunCli,
    tmp_path: Path,
    changes: list[tuple[str, Any]],
    nested: list[tuple[tuple[Any, ...], Any]],
) -> None:
    data = _base_data()
    for key, value in changes:
        data[key] = value
    for path, value in nested:
        _place(data, path, value)
    validate_text(run_cli, tmp_path / "spec.yaml", _dump(data))


# (c) random strings as conda and pip entries ------------------------------------------------

_ENTRY = st.one_of(
    st.text(max_size=30),
    st.text(st.sampled_from(list("abnumpy0123456789.=<>!~*,;[]()@:/ _-'\"")), max_size=30),
)


@FUZZ
@given(conda=st.lists(_ENTRY, max_size=4), pip=st.lists(_ENTRY, max_size=4))
@example(conda=["numpy[[["], pip=["requests >="])
@example(conda=["a::b::c"], pip=[])  # rattler's two-line message
@example(conda=["a\x85b"], pip=["a\u2028b"])
def test_random_entries_never_crash(
    run_cli: RunCli, tmp_path: Path, conda: list[str], pip: list[str]
) -> None:
    data = {"version": 1, "name": "demo", "conda": conda, "pip": pip}
    validate_text(run_cli, tmp_path / "spec.yaml", _dump(data))
