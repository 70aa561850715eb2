"""Block YAML laid out byte for byte as PyYAML's `yaml.dump(data, sort_keys=False)` lays it
out (2-space indent, 80-column folding, sequences in a mapping not indented, YAML 1.1
quoting), without importing PyYAML: `conda-lock.yml` as conda-lock writes it.

The data is what conda-lock's writer hands to PyYAML: mappings with string keys, lists of
mappings or strings, strings, ints and bools; nothing else (no floats, no None, no list in a
list). tests/emit/test_pyyaml_block.py checks the scalar styles against PyYAML itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

Value = str | bool | int | Mapping[str, "Value"] | Sequence["Value"]

_WIDTH = 80
_STEP = 2
_BREAKS = "\n\x85\u2028\u2029"
_SPACE_OR_BREAK = "\0 \t\r\n\x85\u2028\u2029"
_LEADING_INDICATORS = "#,[]{}&*!|>'\"%@`"
# What a YAML 1.1 reader (PyYAML's resolver) reads as something other than a string when
# written plain: booleans, floats, ints, the merge key, null, timestamps and the value key.
_NOT_A_STRING = re.compile(
    r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?"
    r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
    r"|<<|~|null|Null|NULL|="
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)
# Printable ASCII without space or quote: never folded, never escaped (most lock values).
_ONE_WORD = re.compile(r"[!-&(-~]+")
_BREAK = re.compile("[\n\x85\u2028\u2029]")
_ESCAPES = {
    "\0": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0a": "n", "\x0b": "v", "\x0c": "f",
    "\x0d": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L",
    "\u2029": "P",
}  # fmt: skip


def dump_block(data: Mapping[str, Value]) -> str:
    """`data` as PyYAML's default block style writes it, ending with a newline."""
    out = _Out()
    out.mapping(data, indent=0)
    out.line_break()
    return "".join(out.parts)


@dataclass(frozen=True, slots=True)
class _Styles:
    """Which scalar styles can carry a string unchanged (PyYAML's scalar analysis)."""

    plain: bool
    single_quoted: bool
    multiline: bool


def _styles(text: str) -> _Styles:
    if not text:
        return _Styles(plain=True, single_quoted=True, multiline=False)
    indicators = text.startswith(("---", "..."))
    special = breaks = space_after_break = break_after_space = False
    for index, ch in enumerate(text):
        after_space = index + 1 >= len(text) or text[index + 1] in _SPACE_OR_BREAK
        if index == 0:
            indicators |= ch in _LEADING_INDICATORS or (ch in "?:-" and after_space)
        else:
            before_space = text[index - 1] in _SPACE_OR_BREAK
            indicators |= (ch == ":" and after_space) or (ch == "#" and before_space)
        if ch in _BREAKS:
            breaks = True
        if not (ch == "\n" or "\x20" <= ch <= "\x7e"):
            special = True  # no unicode: PyYAML escapes every other character
        if index > 0 and ch == " " and text[index - 1] in _BREAKS:
            space_after_break = True
        if index > 0 and ch in _BREAKS and text[index - 1] == " ":
            break_after_space = True
    edge_space = text[0] in " " + _BREAKS or text[-1] in " " + _BREAKS
    single = not (space_after_break or break_after_space or special)
    plain = single and not (edge_space or breaks or indicators)
    return _Styles(plain=plain, single_quoted=single, multiline=breaks)


@dataclass(slots=True)
class _Out:
    """The text so far and PyYAML's emitter state: column, after whitespace, in indentation."""

    parts: list[str] = field(default_factory=list)
    column: int = 0
    whitespace: bool = True
    indention: bool = True

    def write(self, data: str) -> None:
        self.parts.append(data)
        self.column += len(data)

    def line_break(self, data: str = "\n") -> None:
        self.parts.append(data)
        self.column, self.whitespace, self.indention = 0, True, True

    def indent_to(self, indent: int) -> None:
        if not self.indention or self.column > indent or (
            self.column == indent and not self.whitespace
        ):
            self.line_break()
        if self.column < indent:
            self.whitespace = True
            self.write(" " * (indent - self.column))

    def indicator(self, text: str, *, space: bool, indention: bool = False) -> None:
        self.write(text if self.whitespace or not space else " " + text)
        self.whitespace = False
        self.indention = self.indention and indention

    # Collections.

    def mapping(self, data: Mapping[str, Value], *, indent: int) -> None:
        for key, value in data.items():
            self.indent_to(indent)
            if _simple_key(key):
                self.scalar(key, indent=indent + _STEP, key=True)
                self.indicator(":", space=False)
            else:  # PyYAML's complex key: `? key` and `: value` on the next line
                self.indicator("?", space=True, indention=True)
                self.scalar(key, indent=indent + _STEP, key=False)
                self.indent_to(indent)
                self.indicator(":", space=True, indention=True)
            self.node(value, indent=indent)

    def sequence(self, items: Sequence[Value], *, indent: int) -> None:
        for item in items:
            self.indent_to(indent)
            self.indicator("-", space=True, indention=True)
            if isinstance(item, list | tuple):
                raise TypeError("a list inside a list is not written")
            self.node(item, indent=indent)

    def node(self, value: Value, *, indent: int) -> None:
        """A mapping value or sequence item whose parent collection is at `indent`."""
        if isinstance(value, bool):
            self.plain("true" if value else "false", indent=indent + _STEP, split=True)
        elif isinstance(value, int):
            self.plain(str(value), indent=indent + _STEP, split=True)
        elif isinstance(value, str):
            self.scalar(value, indent=indent + _STEP, key=False)
        elif not value:
            self.indicator("{}" if isinstance(value, Mapping) else "[]", space=True)
        elif isinstance(value, Mapping):
            self.mapping(value, indent=indent + _STEP)
        else:
            self.sequence(value, indent=indent if not self.indention else indent + _STEP)

    # Scalars.

    def scalar(self, text: str, *, indent: int, key: bool) -> None:
        word = _one_word(text)
        if word is not None:
            self.write(word if self.whitespace else " " + word)
            self.whitespace = self.indention = False
            return
        styles = _styles(text)
        if _NOT_A_STRING.fullmatch(text) is None and text and styles.plain:
            self.plain(text, indent=indent, split=not key)
        elif styles.single_quoted and not (key and styles.multiline):
            self.single_quoted(text, indent=indent, split=not key)
        else:
            self.double_quoted(text, indent=indent, split=not key)

    def plain(self, text: str, *, indent: int, split: bool) -> None:
        if not self.whitespace:
            self.write(" ")
        self.whitespace = self.indention = False
        start = end = 0
        spaces = False
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if spaces:
                if ch != " ":
                    # a single space past the width becomes a line break
                    if start + 1 == end and self.column > _WIDTH and split:
                        self.indent_to(indent)
                        self.whitespace = self.indention = False
                    else:
                        self.write(text[start:end])
                    start = end
            elif ch is None or ch == " ":
                self.write(text[start:end])
                start = end
            spaces = ch == " "
            end += 1

    def single_quoted(self, text: str, *, indent: int, split: bool) -> None:
        self.indicator("'", space=True)
        start = end = 0
        spaces = breaks = False
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if spaces:
                if ch != " ":
                    if start + 1 == end and self.column > _WIDTH and split and start != 0 \
                            and end != len(text):  # fmt: skip
                        self.indent_to(indent)
                    else:
                        self.write(text[start:end])
                    start = end
            elif breaks:
                if ch is None or ch not in _BREAKS:
                    if text[start] == "\n":
                        self.line_break()
                    for br in text[start:end]:
                        self.line_break("\n" if br == "\n" else br)
                    self.indent_to(indent)
                    start = end
            elif (ch is None or ch in " " + _BREAKS or ch == "'") and start < end:
                self.write(text[start:end])
                start = end
            if ch == "'":
                self.write("''")
                start = end + 1
            if ch is not None:
                spaces, breaks = ch == " ", ch in _BREAKS
            end += 1
        self.indicator("'", space=False)

    def double_quoted(self, text: str, *, indent: int, split: bool) -> None:
        self.indicator('"', space=True)
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if ch is None or ch in '"\\\x85\u2028\u2029\ufeff' or not "\x20" <= ch <= "\x7e":
                if start < end:
                    self.write(text[start:end])
                    start = end
                if ch is not None:
                    self.write("\\" + _escape(ch))
                    start = end + 1
            if 0 < end < len(text) - 1 and (ch == " " or start >= end) \
                    and self.column + (end - start) > _WIDTH and split:  # fmt: skip
                self.write(text[start:end] + "\\")
                start = max(start, end)
                self.indent_to(indent)
                self.whitespace = self.indention = False
                if text[start] == " ":
                    self.write("\\")
            end += 1
        self.indicator('"', space=False)


def _simple_key(text: str) -> bool:
    """PyYAML writes a key as `key:` when it is short (counting its `!!str` tag) and one line."""
    return bool(text) and len(text) + len("!!str") < 128 and _BREAK.search(text) is None


@lru_cache(maxsize=8192)
def _one_word(text: str) -> str | None:
    """A one-word scalar as written, plain or single-quoted (the fast path of `scalar`); None
    for any other text. Without spaces, quotes or special characters, the only indicators
    are the first character, a leading `---`/`...` and a trailing `:`."""
    if _ONE_WORD.fullmatch(text) is None:
        return None
    first = text[0]
    indicator = (
        first in _LEADING_INDICATORS
        or (first in "?:-" and len(text) == 1)
        or text.startswith(("---", "..."))
        or text.endswith(":")
    )
    if indicator or _NOT_A_STRING.fullmatch(text) is not None:
        return f"'{text}'"
    return text


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    return f"x{code:02X}" if code <= 0xFF else f"u{code:04X}" if code <= 0xFFFF else f"U{code:08X}"
