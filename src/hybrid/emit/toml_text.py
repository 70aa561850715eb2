"""Tiny, deterministic TOML writing for the files hybrid emits (tomllib only reads).

`render_toml` writes a document of tables, arrays of tables, strings, integers, booleans and
arrays of those, keys in the order given. A table of at most two scalar values is written
inline when it fits on a line (`hashes = {sha256 = "…"}`); every other table and every list
of tables gets its own `[header]`. Strings are basic strings with every control character
escaped; a list too long for one line gets a line per item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_INLINE_MAX = 2
_WIDTH = 100
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def render_toml(document: Mapping[str, Any]) -> str:
    """`document` as TOML text (LF line endings, a blank line between tables)."""
    blocks: list[list[str]] = []
    _table(document, (), blocks, header=None)
    return "\n".join("".join(f"{line}\n" for line in block) for block in blocks if block)


def string(text: str) -> str:
    """`text` as a TOML basic string."""
    return '"' + "".join(_escape(char) for char in text) + '"'


def key(name: str) -> str:
    """`name` as a TOML key: bare when it may be, else quoted."""
    return name if _BARE_KEY.match(name) else string(name)


def _table(
    table: Mapping[str, Any], path: tuple[str, ...], blocks: list[list[str]], *, header: str | None
) -> None:
    lines = [] if header is None else [header]
    nested: list[tuple[str, Any]] = []
    for name, value in table.items():
        if (_is_table(value) and not _inline(name, value)) or _is_table_list(value):
            nested.append((name, value))
        else:
            lines.append(_key_value(name, value))
    implicit = header is not None and header.startswith("[[") is False and len(lines) == 1
    if not (implicit and nested and not any(_is_table_list(v) for _, v in nested)):
        blocks.append(lines)  # a table holding only tables needs no header of its own
    for name, value in nested:
        where = (*path, name)
        dotted = ".".join(key(part) for part in where)
        if _is_table_list(value):
            for item in value:
                _table(item, where, blocks, header=f"[[{dotted}]]")
        else:
            _table(value, where, blocks, header=f"[{dotted}]")


def _key_value(name: str, value: Any) -> str:
    """`name = value`; a list too long for one line gets a line per item."""
    line = f"{key(name)} = {_value(value)}"
    if len(line) <= _WIDTH or not _is_list(value) or len(value) < 2:
        return line
    items = "".join(f"    {_value(item)},\n" for item in value)
    return f"{key(name)} = [\n{items}]"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return string(value)
    if _is_table(value):
        return "{" + ", ".join(f"{key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"no TOML value for {type(value).__name__}")


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _inline(name: str, value: Mapping[str, Any]) -> bool:
    if len(value) > _INLINE_MAX or len(f"{key(name)} = {_value(value)}") > _WIDTH:
        return False
    return not any(
        _is_table(v) or (isinstance(v, Sequence) and not isinstance(v, str)) for v in value.values()
    )


def _is_table_list(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and bool(value)
        and all(_is_table(item) for item in value)
    )


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04x}"
    return char
