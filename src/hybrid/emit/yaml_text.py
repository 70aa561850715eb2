"""Tiny, deterministic YAML scalar writing for the files hybrid emits."""

from __future__ import annotations

import json
import re

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

# YAML 1.1 readers (PyYAML, used by conda-lock) read these as booleans.
_YAML11_BOOLS = frozenset({"y", "n", "yes", "no", "on", "off"})
_PLAIN = re.compile(r"^[A-Za-z0-9_./<>=!~*,+ -][A-Za-z0-9_./<>=!~*,+:@;() \[\]-]*$")


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when a YAML reader reads it back as exactly this
    string (not a number, date, bool, null, tag or merge key), else double-quoted."""
    plain = _PLAIN.match(text) and not text.endswith(":") and text.lower() not in _YAML11_BOOLS
    if plain and _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _reads_back(text: str) -> bool:
    try:
        value = YAML(typ="safe", pure=True).load(f"- {text}\n")
    except YAMLError:
        return False
    return isinstance(value, list) and len(value) == 1 and value[0] == text
