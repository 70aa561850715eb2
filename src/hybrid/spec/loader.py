"""Read a spec file with ruamel.yaml, keeping the position of every key and value."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError

from hybrid.errors import SpecError, UsageError
from hybrid.spec.digest import source_digest
from hybrid.spec.input_file import read_input
from hybrid.spec.location import Location, PathPart, printable
from hybrid.spec.yaml_nodes import NodeProblems, check_nodes


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadedDocument:
    """Plain data (dicts, lists, scalars) plus what is needed to locate any part of it."""

    path: Path
    display_name: str
    text: str
    data: Any
    _tree: Any
    source_sha256: str = ""

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> Location:
        """Position of the value at `path` (or of its key, with `key=True`).

        Falls back to the nearest located ancestor when a part is missing.
        """
        node = self._tree
        line, column = 0, 0
        for index, part in enumerate(path):
            last = index == len(path) - 1
            original = _original_key(node, part) if isinstance(node, CommentedMap) else None
            if original is not None and original not in node.lc.data:
                break  # a key that a merge (`<<: *base`) brought has no position of its own
            if original is not None:
                if last and key:
                    line, column = node.lc.key(original)
                else:
                    line, column = node.lc.value(original)
                node = node[original]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line, column = node.lc.item(part)
                node = node[part]
            else:
                break
        return Location(file=self.display_name, line=line + 1, column=column + 1)

    def source_text(self, location: Location) -> str:
        """The plain scalar (a number, a word) as written at `location`.

        It ends at the first space, comment or flow indicator, so `11.0` is found in
        `{macos: 11.0, linux: 5}` as well as in `macos: 11.0  # comment`.
        """
        lines = _YAML_LINE_BREAK.split(self.text)
        if not 0 < location.line <= len(lines):
            return ""
        # ruamel does not count a byte-order mark as a column.
        rest = lines[location.line - 1].replace("\ufeff", "")[location.column - 1 :]
        token = re.match(r"[^\s,\[\]{}#]*", rest)
        return token.group(0) if token else ""


def load_document(path: Path) -> LoadedDocument:
    """Read and parse `path`; YAML problems become a located `SpecError`."""
    display = str(path)
    try:
        raw = read_input(path)
    except UsageError as exc:
        raise SpecError([exc.message], path=display) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(
            [f"{display}: not UTF-8 text (byte {exc.start}: {raw[exc.start]:#04x})"], path=display
        ) from None
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextDatesConstructor
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
        data = to_plain(tree)
    except MarkedYAMLError as exc:
        raise SpecError([_yaml_problem(display, exc)], path=display) from None
    except ReaderError as exc:
        raise SpecError([_reader_problem(display, text, exc)], path=display) from None
    except NodeProblems as exc:
        raise SpecError(
            [f"{display}:{p.line}:{p.column}: {p.message}" for p in exc.problems], path=display
        ) from None
    except RecursiveAliasError as exc:
        line, column = _position_of(exc.node)
        raise SpecError(
            [
                f"{display}:{line}:{column}: invalid YAML: this mapping or list contains itself "
                "through an alias (a recursive anchor)"
            ],
            path=display,
        ) from None
    except RecursionError:
        raise SpecError([f"{display}: invalid YAML: nested too deeply"], path=display) from None
    except (YAMLError, ValueError, TypeError) as exc:
        raise SpecError([f"{display}: invalid YAML: {printable(str(exc))}"], path=display) from None
    return LoadedDocument(
        path=path, display_name=display, text=text, data=data, _tree=tree,
        source_sha256=source_digest(raw),
    )



class _TextDatesConstructor(RoundTripConstructor):
    """Keeps dates as the text written: the schema checks them, with a position. Checks the
    node graph first (`check_nodes`: tags, alias expansion), so nothing is built from it
    that hybrid cannot read or that aliases blow up."""

    def construct_document(self, node: Any) -> Any:
        check_nodes(node, construct=self.construct_object, implicit_tag=self._implicit_tag)
        return super().construct_document(node)

    def _implicit_tag(self, text: str) -> str:
        return str(self.resolver.resolve(ScalarNode, text, (True, False)))


_TextDatesConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
)


def _yaml_problem(display: str, exc: MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{display}:{mark.line + 1}:{mark.column + 1}" if mark is not None else display
    problem = exc.problem or exc.context or "invalid YAML"
    if "found character '\\t'" in problem:
        problem += " (YAML indentation must use spaces, not tabs)"
    if "duplicate key" in problem and exc.context:
        problem = f"{exc.context.strip()}: {problem}"
    return f"{where}: invalid YAML: {printable(problem)}"


def _original_key(node: CommentedMap, part: PathPart) -> Any:
    """The key of `node` that `to_plain` turned into `part` (`1:` became "1"), or None."""
    if part in node:
        return part
    for key in node:
        if not isinstance(key, str) and str(key) == part:
            return key
    return None


def _reader_problem(display: str, text: str, exc: ReaderError) -> str:
    """A character YAML does not allow (control characters), located like any other problem."""
    before = text[: exc.position]
    line = len(_YAML_LINE_BREAK.findall(before)) + 1
    column = len(_YAML_LINE_BREAK.split(before)[-1].replace("\ufeff", "")) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return (
        f"{display}:{line}:{column}: invalid YAML: character U+{code:04X} is not allowed "
        "in a YAML file (control characters must be removed or written as escapes in a "
        "double-quoted string)"
    )


# What YAML counts as a line break (a lone \r too), to turn an offset into line:column.
_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class RecursiveAliasError(ValueError):
    """A mapping or list that contains itself through an alias (`&a [*a]`)."""

    def __init__(self, node: Any) -> None:
        super().__init__("recursive alias")
        self.node = node


def _position_of(node: Any) -> tuple[int, int]:
    """1-based line and column of a round-trip mapping or list (1:1 when unknown)."""
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return 1, 1
    return lc.line + 1, lc.col + 1


def to_plain(node: Any, _open: frozenset[int] = frozenset()) -> Any:
    """ruamel's round-trip types -> plain JSON-like data; dates become ISO strings."""
    if isinstance(node, dict | list):
        if id(node) in _open:
            raise RecursiveAliasError(node)
        inner = _open | {id(node)}
        if isinstance(node, dict):
            return {
                k if isinstance(k, str) else str(k): to_plain(v, inner) for k, v in node.items()
            }
        return [to_plain(v, inner) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return str(node)


_KINDS = {
    list: "a list",
    str: "a single string",
    int: "a number",
    float: "a number",
    bool: "a single true/false",
}


def document_kind(data: Any) -> str:
    """What a YAML document that should be a mapping is instead, for an error message."""
    return "empty" if data is None else _KINDS.get(type(data), "a single value")
