"""Parse parselmouth's "compressed mapping": {conda name: [PyPI names] | null}."""

from __future__ import annotations

import json

from packaging.utils import NormalizedName, canonicalize_name

from hybrid.errors import BackendError
from hybrid.mapping.names import conda_key, is_pypi_name, rank_names

#: conda name -> PyPI names, own name first; an empty tuple = not a Python distribution.
NameTable = dict[str, tuple[NormalizedName, ...]]

_HINT = (
    "a conda-to-PyPI mapping is a JSON object of conda package names to a list of PyPI "
    'names or null, e.g. {"pytorch": ["torch"], "libgcc": null}'
)


def parse_compressed_mapping(data: bytes, *, source: str) -> NameTable:
    """Parse and validate a compressed mapping document; `source` names it in errors."""
    document = _load_json(data, source=source)
    if not isinstance(document, dict):
        raise _malformed(source, f"the document is a JSON {_kind(document)}, not an object")
    table: NameTable = {}
    for conda_name, value in document.items():
        names = _entry_names(conda_name, value, source=source)
        key = conda_key(conda_name)
        table[key] = rank_names(key, {*table.get(key, ()), *names})
    return table


def _load_json(data: bytes, *, source: str) -> object:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _malformed(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise _malformed(source, f"not JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise _malformed(source, "JSON nested too deeply") from exc


def _entry_names(conda_name: str, value: object, *, source: str) -> set[NormalizedName]:
    if value is None:
        return set()
    where = f"entry {json.dumps(conda_name)}"
    if not isinstance(value, list):
        raise _malformed(source, f"{where} is a JSON {_kind(value)}, expected a list or null")
    names: set[NormalizedName] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str) or not is_pypi_name(item):
            shown = json.dumps(item) if isinstance(item, str) else f"a JSON {_kind(item)}"
            raise _malformed(source, f"{where}[{index}] is {shown}, expected a PyPI name")
        names.add(canonicalize_name(item))
    return names


def _kind(value: object) -> str:
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "boolean"),
        ((int, float), "number"),
        (str, "string"),
        (list, "array"),
        (dict, "object"),
    ]
    if value is None:
        return "null"
    return next((name for cls, name in kinds if isinstance(value, cls)), type(value).__name__)


def _malformed(source: str, detail: str) -> BackendError:
    return BackendError(f"malformed conda-to-PyPI mapping {source}: {detail}", hint=_HINT)
