"""Walk the spec schema: every sub-schema with the path of the value it describes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from hybrid.spec.schema import SCHEMA_RESOURCE

SCHEMA_BYTES = resources.files("hybrid.schemas").joinpath(SCHEMA_RESOURCE).read_bytes()
SCHEMA: dict[str, Any] = json.loads(SCHEMA_BYTES)
FieldPath = tuple[str | int, ...]


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    assert ref.startswith("#/$defs/"), ref
    return resolve(SCHEMA["$defs"][ref.removeprefix("#/$defs/")])


def walk(node: dict[str, Any], path: FieldPath = ()) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    """Every sub-schema with the path of the value it describes (0 stands for any list item)."""
    node = resolve(node)
    yield path, node
    for key, sub in node.get("properties", {}).items():
        yield from walk(sub, (*path, key))
    if "items" in node:
        yield from walk(node["items"], (*path, 0))
    for branch in node.get("oneOf", []) + node.get("anyOf", []):
        yield from walk(branch, path)


def schema_fields() -> list[FieldPath]:
    """Every named field of the schema: `("system", "glibc")`, `("conda", 0, "spec")`…"""
    fields = {path for path, _ in walk(SCHEMA) if path and isinstance(path[-1], str)}
    return sorted(fields, key=str)
