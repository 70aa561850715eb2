"""Turn jsonschema errors into located, human sentences ("did you mean", YAML number traps)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from hybrid.spec.bare_jsonschema import Draft202012Validator, ValidationError, validators
from hybrid.spec.loader import LoadedDocument
from hybrid.spec.location import Location, PathPart, field_path
from hybrid.spec.schema import control_character, spec_schema

_JSON_TYPES = {
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def schema_problems(doc: LoadedDocument) -> list[tuple[Location, str]]:
    """Every schema violation in `doc`, located, in file order."""
    validator = _validator_class()(spec_schema())
    found: dict[tuple[Location, str], None] = {}
    for error in validator.iter_errors(doc.data):
        for location, message in _describe(doc, error):
            found[(location, message)] = None
    return sorted(found, key=lambda item: (item[0].line, item[0].column, item[1]))


@cache
def _validator_class() -> Any:
    """Draft 2020-12, with `pattern` read as the ECMA-262 regex JSON Schema says it is.

    Python's `$` also matches before a final newline, so `^[0-9.]+$` would accept "3.11\\n";
    in ECMA-262 (no `m` flag) `$` is the end of the text only.
    """
    return validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})  # type: ignore[no-untyped-call]


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not re.search(_end_anchored(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _end_anchored(pattern: str) -> str:
    """`pattern` with every unescaped `$` outside a character class turned into `\\Z`."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)


def _describe(doc: LoadedDocument, error: ValidationError) -> Iterator[tuple[Location, str]]:
    path: list[PathPart] = list(error.absolute_path)
    name = field_path(path)
    if error.validator == "additionalProperties":
        yield from _unknown_keys(doc, error, path)
        return
    if error.validator in ("oneOf", "anyOf"):
        branch = _matching_branch(error)
        if branch:
            for sub in branch:
                yield from _describe(doc, sub)
            return
        location = doc.locate(path)
        expected = _expectation(_schema_of(error))
        if "a string" in expected.split(" or ") and _is_number(error.instance):
            yield location, _number_as_text(doc, location, name, error.instance)
            return
        yield location, f"{name}: expected {expected}, got {_shown(error.instance)}"
        return
    location = doc.locate(path)
    if error.validator == "type":
        yield location, _type_message(doc, location, name, error)
        return
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield location, f"{name}: missing required key `{missing}`"
        return
    if error.validator == "enum":
        yield location, _enum_message(name, error)
        return
    if error.validator == "const":
        yield location, f"{name}: must be {error.validator_value!r}, got {_shown(error.instance)}"
        return
    if error.validator == "pattern":
        yield location, f"{name}: {_shown(error.instance)} is not {_pattern_meaning(path)}"
        return
    if error.validator == "not" and isinstance(error.instance, str):
        yield location, f"{name}: {_shown(error.instance)} {_control_character(error.instance)}"
        return
    if error.validator == "uniqueItems":
        yield location, f"{name}: entries must be unique"
        return
    if error.validator in ("minItems", "minLength"):
        yield location, f"{name}: must not be empty"
        return
    yield location, f"{name}: {error.message}"


def _unknown_keys(
    doc: LoadedDocument, error: ValidationError, path: list[PathPart]
) -> Iterator[tuple[Location, str]]:
    allowed = sorted(_schema_of(error).get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    for key in sorted(set(instance) - set(allowed)):
        where = doc.locate([*path, key], key=True)
        label = field_path([*path, key])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(allowed)}"
        yield where, f"{label}: unknown key `{key}`{hint}"


def _matching_branch(error: ValidationError) -> list[ValidationError]:
    """The sub-errors of the oneOf branch whose type matches the instance, if exactly one does."""
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        branch = sub.schema_path[0] if sub.schema_path else -1
        by_branch.setdefault(int(branch), []).append(sub)
    fitting = [
        subs
        for subs in by_branch.values()
        if not any(s.validator == "type" and not s.relative_path for s in subs)
    ]
    return fitting[0] if len(fitting) == 1 else []


def _type_message(
    doc: LoadedDocument, location: Location, name: str, error: ValidationError
) -> str:
    expected: Any = error.validator_value
    wanted = [expected] if isinstance(expected, str) else list(expected)
    instance = error.instance
    if "string" in wanted and _is_number(instance):
        return _number_as_text(doc, location, name, instance)
    wanted_text = " or ".join(_JSON_TYPES.get(w, w) for w in wanted)
    return f"{name}: expected {wanted_text}, got {_shown(instance)}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_as_text(doc: LoadedDocument, location: Location, name: str, number: Any) -> str:
    """The YAML trap: `python: 3.10` is the number 3.1, not the text "3.10"."""
    written = doc.source_text(location) or repr(number)
    if written.startswith("!"):
        return (
            f"{name}: the tag `{written}` makes this the number {number!r}, not text; "
            "remove the tag and write the value in quotes"
        )
    return (
        f"{name}: YAML reads `{written}` as the number {number!r}, not as text; "
        f'write it in quotes: "{written}"'
    )


def _enum_message(name: str, error: ValidationError) -> str:
    options = [str(o) for o in _value(error)]
    close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.6)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    return f"{name}: {_shown(error.instance)} is not one of {', '.join(options)}{hint}"


def _schema_of(error: ValidationError) -> dict[str, Any]:
    return dict(error.schema) if isinstance(error.schema, dict) else {}


def _value(error: ValidationError) -> Any:
    return error.validator_value


def _expectation(schema: dict[str, Any]) -> str:
    kinds: list[str] = []
    for branch in schema.get("oneOf", schema.get("anyOf", [])):
        kind = branch.get("type")
        if kind is None and "$ref" in branch:
            kind = "string"
        kinds.append(_JSON_TYPES.get(str(kind), str(kind)))
    return " or ".join(dict.fromkeys(kinds))


# What a pattern means, by field (list indexes left out); the longest matching field wins.
_PATTERN_MEANING: dict[tuple[str, ...], str] = {
    ("name",): "a valid environment name (letters, digits, `_`, `.`, `-`)",
    ("python",): 'a Python version such as "3.11" or "3.11.9"',
    ("cuda",): 'a CUDA variant: "cpu" or a version such as "12.4"',
    ("cuda", "version"): 'a CUDA version such as "12.4"',
    ("cuda", "driver"): 'a CUDA version such as "12.4"',
    ("cuda", "arch"): 'a GPU compute capability such as "8.0"',
    ("snapshot",): "a date (2026-06-01) or an RFC 3339 instant (2026-06-01T12:00:00Z)",
    ("snapshot", "exempt"): 'a PyPI distribution name such as "torch"',
    ("pip-build",): 'a PyPI distribution name such as "torch"',
    ("promote",): 'a PyPI distribution name such as "torch"',
    ("pip", "extras"): 'an extra name such as "train"',
    ("system",): 'a dotted version such as "2.28"',
}


def _pattern_meaning(path: Sequence[PathPart]) -> str:
    names = tuple(part for part in path if isinstance(part, str))
    for end in range(len(names), 0, -1):
        meaning = _PATTERN_MEANING.get(names[:end])
        if meaning is not None:
            return meaning
    return "in the expected form"


def _control_character(text: str) -> str:
    """Why a string the schema's `controlCharacter` matches is refused, naming the character."""
    return refused_control_character(control_character(text) or "")


def refused_control_character(code: str) -> str:
    """The reason a text holding the control character `code` (`U+000A`) is refused."""
    return (
        f"holds the control character {code}: line breaks, tabs and other invisible "
        "characters are not allowed in package specs, URLs and paths"
    )


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)
