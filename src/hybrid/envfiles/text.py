"""Reading input files as text: decoding, physical lines, pip's logical lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from hybrid.redact import redact
from hybrid.spec.input_file import read_input
from hybrid.spec.location import printable

# Line breaks as editors count them (a lone \r too), so line numbers match what users see.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# pip's comment rule: `#` at the start or after whitespace (a URL's `#egg=` is no comment).
_COMMENT = re.compile(r"(^|\s+)#.*$")


def read_bytes(path: Path) -> bytes:
    """The content of `path`; a missing or unreadable file, or one that is not a regular file
    or is too large (`read_input`), is a usage error."""
    return read_input(path)


def decode(raw: bytes) -> tuple[str | None, str | None]:
    """(text, None), or (None, why) when `raw` is not UTF-8 text."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start}: {raw[exc.start]:#04x})"
    if "\x00" in text:
        return None, f"not a text file (a NUL byte at offset {text.index(chr(0))})"
    return text, None


def physical_lines(text: str) -> list[str]:
    """`text` split at every line break; a final line break ends the last line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def strip_comment(line: str) -> str:
    return _COMMENT.sub("", line).strip()


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, line) with pip's `\\` continuations joined and comments removed."""
    pending: list[str] = []
    start = 0
    for number, line in enumerate(physical_lines(text), start=1):
        body = line.rstrip()
        continues = body.endswith("\\") and not body.lstrip().startswith("#")
        if not pending:
            start = number
        if continues:
            pending.append(body[:-1])
            continue
        pending.append(body)
        joined = " ".join(strip_comment(part) for part in pending if strip_comment(part))
        pending = []
        if joined:
            yield start, joined
    if pending:
        joined = " ".join(strip_comment(part) for part in pending if strip_comment(part))
        if joined:
            yield start, joined


def quoted(text: str, limit: int = 80) -> str:
    """`text` for a message: one line, invisible characters escaped, long text shortened."""
    shown = printable(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def without_credentials(text: str) -> str:
    """`text` with the credentials of every URL in it removed (`hybrid.redact`)."""
    return redact(text)
