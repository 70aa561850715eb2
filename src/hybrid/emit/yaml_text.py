"""Tiny, deterministic YAML scalar writing for the files hybrid emits."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"^[A-Za-z0-9_./<>=!~*,+ -][A-Za-z0-9_./<>=!~*,+:@;() \[\]-]*$")
_RESERVED = {"", "null", "true", "false", "yes", "no", "on", "off", "~"}


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that reads back identically, else double-quoted."""
    risky = (
        text.lower() in _RESERVED
        or text != text.strip()
        or ": " in text
        or " #" in text
        or text.startswith(("*", "-", "!", "?", ">", ",", "[", "]"))
        or text.endswith(":")
        or _looks_numeric(text)
        or not _PLAIN.match(text)
    )
    return json.dumps(text, ensure_ascii=False) if risky else text


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
