"""Read any input file into an `Inventory`: tell its kind, then use the matching reader."""

from __future__ import annotations

import re
from pathlib import Path

from hybrid.envfiles.envfile import read_environment
from hybrid.envfiles.explicit import is_explicit, read_explicit
from hybrid.envfiles.inventory import Inventory, Kind
from hybrid.envfiles.reqfile import read_requirements
from hybrid.envfiles.specfile import read_spec
from hybrid.envfiles.text import decode, read_bytes

_YAML_SUFFIXES = (".yml", ".yaml")
_TOP_KEY = r"^{key}[ \t]*:"


def read_inventory(path: Path) -> Inventory:
    """What `path` holds; only a missing or unreadable file raises (a `UsageError`)."""
    raw = read_bytes(path)
    text, why = decode(raw)
    kind = file_kind(path, text)
    if text is None:
        inv = Inventory(path=path, display=str(path), kind=kind)
        inv.problem(inv.at(1), why or "unreadable")
        return inv
    if kind == "requirements":
        return read_requirements(path, str(path), text)
    inv = Inventory(path=path, display=str(path), kind=kind)
    if kind == "explicit":
        read_explicit(inv, text)
    elif kind == "spec":
        read_spec(inv)
    else:
        read_environment(inv)
    return inv


def file_kind(path: Path, text: str | None) -> Kind:
    """explicit (`@EXPLICIT`), spec (a top-level `version:`), environment, or requirements."""
    if text is not None and is_explicit(text):
        return "explicit"
    yaml_name = path.suffix.lower() in _YAML_SUFFIXES
    if text is None:
        return "environment" if yaml_name else "requirements"
    has_dependencies = _has_top_key(text, "dependencies")
    if yaml_name or has_dependencies:
        if _has_top_key(text, "version") and not has_dependencies:
            return "spec"
        return "environment"
    return "requirements"


def _has_top_key(text: str, key: str) -> bool:
    return re.search(_TOP_KEY.format(key=key), text, re.MULTILINE) is not None
