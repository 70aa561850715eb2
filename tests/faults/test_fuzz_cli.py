"""Hypothesis: hostile but plausible files never make `validate`, `import` or `lint` fail with
an internal error (exit 70) or a traceback, and a spec error is always located.

The strategies write YAML text themselves, to reach what a dumper never writes: tags (`!!set`,
`!!binary`, `!custom`, a core tag on a value it cannot read), anchors and aliases (nested
expansion, a node containing itself), control characters (raw and escaped), huge numbers and
odd keys. Cases per run: `_CASES` times the Hypothesis profile's `max_examples` for each of
the three commands, 2,000 in all with the default profile (tests/conftest.py);
`--hypothesis-profile deep` runs 20 times as many.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from hybrid.errors import ExitCode
from tests.conftest import CliResult, RunCli

# Cases per command, in units of the profile's `max_examples` (100 by default).
_CASES = {"validate": 8, "import": 6, "lint": 6}


def _fuzz(command: str) -> settings:
    return settings(
        max_examples=settings().max_examples * _CASES[command],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# --- pieces of YAML -----------------------------------------------------------------------

_CONTROL = st.sampled_from(
    ["\x00", "\t", "\n", "\r", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]
)
_WORDS = st.sampled_from(
    [
        "numpy",
        "numpy >=1.26",
        "numpy=1.26.4=py311h64a7726_0",
        "python=3.11",
        "pytorch::pytorch",
        "conda-forge::scipy",
        "pip",
        "requests>=2",
        "torch==2.1+cu121",
        "conda-forge",
        "./local-channel",
        "file:///tmp/chan",
        "https://pypi.org/simple",
        "https://user:token@example.org/simple",
        "./wheels",
        "linux-64",
        "win-64",
        "3.11",
        "12.4",
        "cpu",
        "2026-06-01",
        "x",
        "",
    ]
)
_NUMBERS = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.integers(300, 6000).map(lambda n: "9" * n),
    st.sampled_from(["1e999", "-1e999", ".inf", ".nan", "0x1F", "0o17", "1_000", "3.10", "1e3"]),
)
_KEYWORDS = st.sampled_from(["~", "null", "yes", "no", "true", "off", "=", "<<", "-", "? "])


def _with_control(text: str, control: str, at: int) -> str:
    at = at % (len(text) + 1)
    return text[:at] + control + text[at:]


_TEXT = st.one_of(
    _WORDS,
    st.builds(_with_control, _WORDS, _CONTROL, st.integers(0, 40)),
    st.text(max_size=12),
)

_SCALAR_TAGS = st.sampled_from(
    [
        "!!set",
        "!!binary",
        "!custom",
        "!!int",
        "!!float",
        "!!bool",
        "!!str",
        "!!null",
        "!!timestamp",
        "!!omap",
        "!!pairs",
        "!!python/name:os.system",
        "!<tag:yaml.org,2002:str>",
        "!",
        "!!merge",
        "!!value",
        "!!seq",
        "!!map",
    ]
)


@dataclass
class _Anchors:
    """The anchors a document defined so far, in order (an alias may name any of them)."""

    names: list[str] = field(default_factory=list)

    def new(self) -> str:
        name = f"a{len(self.names)}"
        self.names.append(name)
        return name


def _scalar(draw: st.DrawFn) -> str:
    kinds = ["plain", "plain", "quoted", "quoted", "quoted", "number", "keyword", "raw control"]
    kind = draw(st.sampled_from(kinds))
    if kind == "plain":
        return draw(_WORDS) or "x"
    if kind == "quoted":
        return json.dumps(draw(_TEXT))  # JSON escapes are YAML double-quoted escapes
    if kind == "number":
        return draw(_NUMBERS)
    if kind == "keyword":
        return draw(_KEYWORDS)
    return _with_control(draw(_WORDS) or "x", draw(_CONTROL), draw(st.integers(0, 40)))


def _node(draw: st.DrawFn, anchors: _Anchors, depth: int = 0) -> str:
    """One flow-style YAML node: a scalar, a list or a mapping, maybe tagged or anchored, or
    an alias to an anchor defined before."""
    kinds = ["scalar", "scalar", "tagged", "list", "mapping", "alias", "anchored", "bomb"]
    kind = draw(st.sampled_from(kinds if depth < 3 else ["scalar", "tagged", "alias"]))
    if kind == "alias" and anchors.names:
        return "*" + draw(st.sampled_from(anchors.names))
    if kind == "tagged":
        inner = _node(draw, anchors, depth + 1) if draw(st.booleans()) else _scalar(draw)
        return f"{draw(_SCALAR_TAGS)} {inner}"
    if kind == "list":
        items = [_node(draw, anchors, depth + 1) for _ in range(draw(st.integers(0, 4)))]
        return "[" + ", ".join(items) + "]"
    if kind == "mapping":
        pairs = [
            f"{_key(draw)}: {_node(draw, anchors, depth + 1)}"
            for _ in range(draw(st.integers(0, 3)))
        ]
        return "{" + ", ".join(pairs) + "}"
    if kind == "anchored":
        name = anchors.new() if draw(st.booleans()) else None  # before: it may contain itself
        inner = _node(draw, anchors, depth + 1)
        return f"&{name or anchors.new()} {inner}"
    if kind == "bomb" and anchors.names:
        return _bomb(draw, anchors)
    return _scalar(draw)


def _bomb(draw: st.DrawFn, anchors: _Anchors) -> str:
    """Nested alias expansion: each level a list of `width` aliases to the level before."""
    previous = draw(st.sampled_from(anchors.names))
    levels = []
    for _ in range(draw(st.integers(1, 12))):
        name = anchors.new()
        width = draw(st.integers(2, 10))
        levels.append(f"&{name} [" + ", ".join([f"*{previous}"] * width) + "]")
        previous = name
    return "[" + ", ".join(levels) + "]"


def _key(draw: st.DrawFn) -> str:
    return draw(
        st.one_of(
            _WORDS.map(lambda w: w or '""'),
            st.sampled_from(
                ["1", "~", "null", "<<", '"\\0"', '"a\\nb"', "? [a, b]", "!!binary aGk="]
            ),
            st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6).map(
                json.dumps
            ),
        )
    )


# --- documents ----------------------------------------------------------------------------

_SPEC = {
    "version": "1",
    "name": "fuzz-lab",
    "channels": "[conda-forge]",
    "platforms": "[linux-64, win-64]",
    "python": '"3.11"',
    "conda": "[numpy >=1.26, {spec: pywin32, platforms: [win-64]}]",
    "pip": "[requests>=2, wandb]",
    "pip-index": '{index-url: "https://pypi.org/simple", find-links: [./wheels]}',
    "system": '{glibc: "2.28"}',
}
_ENV = {
    "name": "fuzz-lab",
    "channels": "[conda-forge]",
    "dependencies": "[numpy=1.26.4, python=3.11, pip, {pip: [requests>=2, '--index-url https://pypi.org/simple']}]",
}
_EXTRA_KEYS = ["cuda", "snapshot", "prefix", "variables", "platforms", "pip-index", "x"]


@st.composite
def yaml_document(draw: st.DrawFn, base: dict[str, str]) -> str:
    """`base` with some values replaced by drawn nodes, keys added, and lists written in
    block style now and then."""
    anchors = _Anchors()
    values = dict(base)
    replaceable = [key for key in base if key != "version"] + _EXTRA_KEYS
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 4]))):  # some documents valid
        key = draw(st.sampled_from(replaceable))
        if key in _LISTS and draw(st.sampled_from([True, True, False])):
            values[key] = "[" + ", ".join(_entries(draw, anchors)) + "]"
        else:
            values[key] = _node(draw, anchors)
    lines = []
    for key, value in values.items():
        if value.startswith("[") and value.endswith("]") and draw(st.booleans()):
            items = _split_flow(value)
            if items is not None:
                lines.append(f"{key}:")
                lines.extend(f"  - {item}" for item in items)
                continue
        lines.append(f"{key}: {value}")
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # odd keys
        lines.insert(draw(st.integers(0, len(lines))), f"{_key(draw)}: {_node(draw, anchors)}")
    return "\n".join(lines) + "\n"


_LISTS = frozenset({"channels", "platforms", "conda", "pip", "dependencies"})


def _entries(draw: st.DrawFn, anchors: _Anchors) -> list[str]:
    """List entries, mostly plausible: a word, a quoted word with a control character, now
    and then any node (tagged, an alias, a `{pip: […]}` block)."""
    entries = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["word", "word", "control", "node", "pip"]))
        if kind == "word":
            entries.append(draw(_WORDS) or "x")
        elif kind == "control":
            word = draw(_WORDS) or "x"
            entries.append(json.dumps(_with_control(word, draw(_CONTROL), draw(st.integers()))))
        elif kind == "pip":
            entries.append("{pip: [" + ", ".join(_entries(draw, anchors)) + "]}")
        else:
            entries.append(_node(draw, anchors))
    return entries


def _split_flow(value: str) -> list[str] | None:
    """The items of a flow list with no nested brackets or quotes, else None."""
    inner = value[1:-1]
    if any(char in inner for char in "[]{}\"'") or not inner.strip():
        return None
    return [item.strip() for item in inner.split(",")]


_REQUIREMENT_LINES = st.sampled_from(
    [
        "requests>=2",
        "torch==2.1.0+cu121",
        "numpy==1.26.4 --hash=sha256:0",
        "--index-url https://pypi.org/simple",
        "--extra-index-url https://download.pytorch.org/whl/cu121",
        "-f ./wheels",
        "-r other.txt",
        "-r missing.txt",
        "-e git+https://example.org/r.git#egg=pkg",
        "./local",
        "-c constraints.txt",
        "--trusted-host evil.example",
        "pkg @ https://example.org/pkg-1.0-py3-none-any.whl",
        "# comment",
        "a \\",
    ]
)


@st.composite
def requirements_text(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_REQUIREMENT_LINES, max_size=8))
    for _ in range(draw(st.integers(0, 3))):
        if lines:
            at = draw(st.integers(0, len(lines) - 1))
            lines[at] = _with_control(lines[at], draw(_CONTROL), draw(st.integers(0, 80)))
    return "\n".join(lines) + "\n"


_EXPLICIT = (
    "@EXPLICIT\n"
    "https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda#00\n"
)

# (file name, content) of an input of `import` and `lint`.
INPUTS = st.one_of(
    st.tuples(st.just("environment.yml"), yaml_document(_ENV)),
    st.tuples(st.just("requirements.txt"), requirements_text()),
    st.tuples(st.just("conda-lock.txt"), requirements_text().map(lambda text: _EXPLICIT + text)),
)
LINT_INPUTS = st.one_of(INPUTS, st.tuples(st.just("spec.yaml"), yaml_document(_SPEC)))


# --- outcomes -----------------------------------------------------------------------------

_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@contextmanager
def fresh_directory() -> Iterator[Path]:
    """A directory per example (pytest's `tmp_path` is one per test, shared by examples)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def no_bug(result: CliResult, *allowed: int) -> None:
    event(f"exit {result.exit_code}")  # `--hypothesis-show-statistics` shows the spread
    assert result.exit_code != ExitCode.INTERNAL, f"internal error (a bug):\n{result.output}"
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output
    assert result.exit_code in allowed, result.output


def errors_located(result: CliResult, folder: Path, lines_in: dict[Path, int]) -> None:
    """Exit 2 says `error: FILE…`; a spec error lists each problem as `FILE:LINE:COL: …` (or
    `FILE: …` for the file as a whole), with a line the file has."""
    lines = result.stderr.splitlines()
    assert lines and lines[0].startswith(f"error: {folder}"), result.stderr
    if not re.match(r"^error: .*: \d+ problem\(s\)$", lines[0]):
        return  # one usage error about one file, already checked to name it
    located = re.compile(rf"^  (?P<file>{re.escape(str(folder))}/[^:]+)(:(?P<line>\d+):(\d+))?: ")
    for line in lines[1:]:
        found = located.match(line)
        assert found is not None, result.stderr
        file = Path(found["file"])
        if found["line"] is not None and file in lines_in:
            assert 1 <= int(found["line"]) <= lines_in[file], line


def line_count(text: str) -> int:
    return len(_YAML_LINE_BREAK.findall(text)) + 1


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    (folder / "other.txt").write_text("rich==13.0\n-r requirements.txt\n", encoding="utf-8")
    return path


# --- the properties -----------------------------------------------------------------------

_NEWLINE_URL = "https://pypi.org/simple\n--trusted-host evil.example"
# 9**7 values through aliases in 300 bytes.
_BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 7)
)


@_fuzz("validate")
@given(text=yaml_document(_SPEC))
@example(text="version: 1\nname: x\npython: !!set\n")
@example(text="version: 1\nname: x\nchannels: !!bool yes-no\n")
@example(text="version: 1\nname: x\nconda: !custom [a]\n")
@example(text='version: 1\nname: x\nchannels: ["./a\\0b"]\n')
@example(text=f"version: 1\nname: x\npip-index: {{index-url: {json.dumps(_NEWLINE_URL)}}}\n")
@example(text="version: 1\nname: x\n" + _BOMB)
def test_validate_never_crashes(run_cli: RunCli, text: str) -> None:
    with fresh_directory() as folder:
        spec = write(folder, "spec.yaml", text)
        result = run_cli("validate", "--offline", spec)
        no_bug(result, ExitCode.OK, ExitCode.USAGE)
        if result.exit_code == ExitCode.USAGE:
            errors_located(result, folder, {spec: line_count(text)})


@_fuzz("import")
@given(name_and_text=INPUTS)
@example(name_and_text=("requirements.txt", "requests\n--index-url https://p.org/\x0bsimple\n"))
@example(name_and_text=("environment.yml", 'channels: ["conda-forge\\t"]\ndependencies: [numpy]\n'))
@example(name_and_text=("environment.yml", "dependencies: !!set {numpy}\n"))
def test_import_never_crashes(run_cli: RunCli, name_and_text: tuple[str, str]) -> None:
    name, text = name_and_text
    with fresh_directory() as folder:
        source = write(folder, name, text)
        result = run_cli("import", source, "-o", folder / "out" / "spec.yaml")
        no_bug(result, ExitCode.OK, ExitCode.USAGE)
        if result.exit_code == ExitCode.USAGE:
            errors_located(result, folder, {source: line_count(text)})


@_fuzz("lint")
@given(name_and_text=LINT_INPUTS)
@example(name_and_text=("spec.yaml", "version: 1\nname: x\nconda: !custom [a]\n"))
def test_lint_never_crashes(run_cli: RunCli, name_and_text: tuple[str, str]) -> None:
    name, text = name_and_text
    with fresh_directory() as folder:
        source = write(folder, name, text)
        result = run_cli("lint", source)
        no_bug(result, ExitCode.OK, ExitCode.FINDINGS, ExitCode.USAGE)
        finding = re.compile(rf"^{re.escape(str(source))}:(\d+):\d+: H\d{{3}} ")
        for line in result.stdout.splitlines():
            found = finding.match(line)
            assert found is not None, result.stdout
            assert 1 <= int(found[1]) <= line_count(text), line
