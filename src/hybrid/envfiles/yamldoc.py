"""YAML inputs read with the spec loader (ruamel round-trip, positions kept), never raising."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hybrid.envfiles.inventory import Inventory, Item
from hybrid.envfiles.text import quoted
from hybrid.errors import SpecError
from hybrid.spec.loader import LoadedDocument, document_kind, load_document
from hybrid.spec.location import Location, PathPart

_POSITION = re.compile(r"^:(\d+):(\d+): ")


def load_yaml(inv: Inventory) -> LoadedDocument | None:
    """The parsed document, or None with the reason recorded as a located problem."""
    try:
        doc = load_document(inv.path)
    except SpecError as exc:
        for problem in exc.problems:
            inv.problem(*_located(inv, problem))
        return None
    except RecursionError:
        inv.problem(inv.at(1), "cannot parse: the YAML nests (or refers to itself) too deeply")
        return None
    if not isinstance(doc.data, dict):
        kind = document_kind(doc.data)
        inv.problem(inv.at(1), f"expected a mapping of keys (`dependencies:`…), the file is {kind}")
        return None
    return doc


def load_conda_yaml(inv: Inventory) -> LoadedDocument | None:
    """`load_yaml`, then the keys an environment file and a spec share: `name`, `channels`
    and `platforms`; `lock` in the file name claims a lock."""
    doc = load_yaml(inv)
    if doc is None:
        return None
    inv.name = scalar(doc, ["name"])
    inv.channels = strings(inv, doc, ["channels"])
    inv.platforms = strings(inv, doc, ["platforms"])
    inv.claims_lock = inv.named_as_lock
    return doc


def _located(inv: Inventory, problem: str) -> tuple[Location, str]:
    """The loader's `FILE:LINE:COL: message` (or `FILE: message`) as a location and a message."""
    rest = problem.removeprefix(inv.display)
    found = _POSITION.match(rest)
    if found:
        return inv.at(int(found.group(1)), int(found.group(2))), rest[found.end() :]
    return inv.at(1), rest.removeprefix(":").strip()


def strings(inv: Inventory, doc: LoadedDocument, path: Sequence[PathPart]) -> list[Item]:
    """The list of strings at `path` (a single string counts as a list of one)."""
    value = _get(doc.data, path)
    if value is None:
        return []
    if isinstance(value, str):
        return [Item(text=value, location=doc.locate(path))]
    if not isinstance(value, list):
        inv.problem(doc.locate(path), f"`{'.'.join(map(str, path))}` must be a list of strings")
        return []
    items = []
    for index, entry in enumerate(value):
        where = doc.locate([*path, index])
        if isinstance(entry, str | int | float) and not isinstance(entry, bool):
            items.append(Item(text=str(entry), location=where))
        else:
            inv.problem(where, f"expected a string, found {quoted(repr(entry))}")
    return items


def scalar(doc: LoadedDocument, path: Sequence[PathPart]) -> Item | None:
    value = _get(doc.data, path)
    if value is None or isinstance(value, dict | list):
        return None
    return Item(text=str(value), location=doc.locate(path))


def _get(data: Any, path: Sequence[PathPart]) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


_SELECTOR = re.compile(r"#\s*\[([^\]]*)\]\s*$")


def selector(lines: Sequence[str], where: Location) -> str | None:
    """A conda-lock style selector comment on the line of `where` (`- pywin32  # [win]`)."""
    if not 0 < where.line <= len(lines):
        return None
    found = _SELECTOR.search(lines[where.line - 1])
    return found.group(1).strip() if found else None
