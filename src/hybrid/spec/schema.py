"""The JSON Schema of the spec: the single source of truth, shipped inside the package."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_RESOURCE = "spec-v1.schema.json"


@cache
def spec_schema() -> dict[str, Any]:
    """The parsed spec schema (draft 2020-12)."""
    text = resources.files("hybrid.schemas").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def top_level_keys() -> frozenset[str]:
    """The keys a spec may have at the top level."""
    return frozenset(spec_schema()["properties"])


@cache
def _control_pattern() -> re.Pattern[str]:
    return re.compile(spec_schema()["$defs"]["controlCharacter"]["pattern"])


def control_character(text: str) -> str | None:
    """The first character of `text` the schema refuses in names, URLs, paths and package
    specs (`$defs.controlCharacter`: C0 and C1 controls, DEL, U+2028, U+2029) as `U+000A`;
    None when there is none."""
    found = _control_pattern().search(text)
    return f"U+{ord(found.group(0)):04X}" if found else None
