"""An `ImportPlan` -> the text of a spec.yaml (block style, in the schema's key order)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from hybrid.emit.yaml_text import scalar
from hybrid.importer.plan import CondaEntry, ImportPlan
from hybrid.redact import redact
from hybrid.spec.schema import spec_schema

SCHEMA_URL = str(spec_schema()["$id"])
_YAML = YAML(typ="safe", pure=True)


def render_spec(plan: ImportPlan) -> str:
    """The spec text; every string is written so that YAML reads it back unchanged. No URL
    in it carries credentials (`without_secrets` noted each; this is the last net)."""
    lines = [
        f"# yaml-language-server: $schema={SCHEMA_URL}",
        f"# Written by `hybrid import` from {', '.join(plan.sources)}.",
        "version: 1",
        f"name: {text(plan.name)}",
    ]
    lines += _list("channels", plan.channels)
    lines += _list("platforms", plan.platforms)
    if plan.python is not None:
        lines.append(f"python: {quoted(plan.python)}")
    if plan.cuda is not None:
        lines.append(f"cuda: {quoted(plan.cuda)}")
    if plan.conda:
        lines.append("conda:")
        lines += [line for entry in plan.conda for line in _conda(entry)]
    lines += _list("pip", plan.pip)
    index = plan.pip_index
    if index.index_url or index.extra_index_urls or index.find_links:
        lines.append("pip-index:")
        if index.index_url:
            lines.append(f"  index-url: {text(index.index_url)}")
        lines += _list("extra-index-urls", index.extra_index_urls, indent="  ")
        lines += _list("find-links", index.find_links, indent="  ")
    return redact("\n".join(lines) + "\n")


def _list(key: str, values: Iterable[str], *, indent: str = "") -> list[str]:
    items = [f"{indent}  - {text(value)}" for value in values]
    return [f"{indent}{key}:", *items] if items else []


def _conda(entry: CondaEntry) -> list[str]:
    if entry.platforms is None:
        return [f"  - {text(entry.spec)}"]
    platforms = ", ".join(sorted(entry.platforms))
    return [f"  - spec: {text(entry.spec)}", f"    platforms: [{platforms}]"]


def text(value: str) -> str:
    """A YAML scalar: plain when YAML reads it back as this very string, else quoted: in
    single quotes when that spares escaping the double quotes of a marker
    (`'psutil; sys_platform == "linux"'`), else in double quotes.

    `scalar` alone is not enough: it writes `=`, `<<`, `0x1F` and `2024-01-01` plain, which
    YAML reads as a tag, a merge key, a number and a date.
    """
    if _SAFE_PLAIN.fullmatch(value) and value.lower() not in _KEYWORDS:
        return value
    candidate = scalar(value)
    if value.isprintable() and _reads_back(candidate, value):
        if candidate.startswith('"') and '"' in value and "'" not in value:
            single = f"'{value}'"
            return single if value.isascii() and _reads_back(single, value) else candidate
        return candidate
    return quoted(value)


# Text every YAML reader reads back plain as this very string, without a parse (one costs
# 1.5 ms: 100,000 conda entries took 150 s): a letter first (no number, date, `.inf`, `~`,
# tag, alias, anchor or merge key), no `:`, `#`, quote or line break, no trailing space.
_SAFE_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9_.=<>!~*,+@/ -]*[A-Za-z0-9_.=<>!~*,+@/-])?")
# ... unless it is a boolean or null to YAML 1.1 or 1.2.
_KEYWORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _reads_back(written: str, value: str) -> bool:
    try:
        loaded = _YAML.load(f"k: {written}\n")
    except (YAMLError, ValueError):
        return False
    return isinstance(loaded, dict) and type(loaded.get("k")) is str and loaded["k"] == value


def quoted(value: str) -> str:
    """A double-quoted YAML scalar with every character outside printable ASCII escaped."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'
