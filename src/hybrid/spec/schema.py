"""The JSON Schema of the spec: the single source of truth, shipped inside the package."""

from __future__ import annotations

import json
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
