"""Checks on the composed YAML node graph, before any value is built from it.

ruamel composes an alias as the very node its anchor names, so the graph stays as small as
the file while its expansion need not: nine levels of `&aN [*aM, *aM, …]` are a 450-byte
file that expands to 9**9 values (`to_plain` and the schema walk every one; measured before
this check: over 2 minutes and 2.8 GB, then killed). Here each node's expanded size is
counted once, so the check takes time in proportion to the file.

Tags are checked here too, where the position and field of every node are known: hybrid's
files hold strings, numbers, true/false, lists and mappings, so only YAML's core tags pass
(`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map`, plus the `!!timestamp`,
`!!merge` and `!!value` that plain scalars resolve to), and only on a value they can read.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hybrid.spec.location import PathPart, field_path, printable

#: Values that aliases may repeat in one file, in all: a list of platforms reused by a
#: thousand entries is a few thousand.
MAX_ALIAS_VALUES = 100_000
#: Problems listed at most per file (the check stops at the next one).
MAX_PROBLEMS = 20

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge", "value")
)
# What a tagged scalar must be readable as.
_READ_AS = {
    _CORE + "int": "a whole number",
    _CORE + "float": "a number",
    _CORE + "bool": "true or false",
}


_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, kw_only=True, slots=True)
class NodeProblem:
    """A problem at a 1-based line and column."""

    line: int
    column: int
    message: str


class NodeProblems(ValueError):
    """What `check_nodes` found; its caller turns each into a located problem."""

    def __init__(self, problems: list[NodeProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the YAML nodes")
        self.problems = problems


# Builds the value of a scalar node; raises what ruamel raises on an unreadable one.
Construct = Callable[[ScalarNode], object]
# The tag a plain scalar of this text resolves to without a tag.
ImplicitTag = Callable[[str], str]


def check_nodes(root: Node, *, construct: Construct, implicit_tag: ImplicitTag) -> None:
    """Raise `NodeProblems` for a node that contains itself, aliases that repeat more than
    `MAX_ALIAS_VALUES` values, a list or mapping used as a key, or a tag hybrid cannot read."""
    walk = _Walk(construct=construct, implicit_tag=implicit_tag)
    with contextlib.suppress(_Stop):
        walk.size(root, [], via=None)
    if walk.problems:
        raise NodeProblems(walk.problems)


class _Stop(Exception):
    """Ends the walk: a problem that makes the rest of the graph unsafe to visit."""


@dataclass(kw_only=True, slots=True)
class _Walk:
    construct: Construct
    implicit_tag: ImplicitTag
    problems: list[NodeProblem] = field(default_factory=list)
    #: id(node) -> the number of values it expands to, once visited.
    sizes: dict[int, int] = field(default_factory=dict)
    #: The nodes being visited: meeting one again is a node containing itself.
    open: set[int] = field(default_factory=set)
    repeated: int = 0
    listed: int = 0

    def size(self, node: Node, path: list[PathPart], *, via: Node | None) -> int:
        """The number of values `node` expands to; `via` is the node holding it."""
        key = id(node)
        known = self.sizes.get(key)
        if known is not None:
            self._repeat(node, known, path, via)
            return known
        if key in self.open:
            self._stop(
                node,
                "invalid YAML: this mapping or list contains itself through an alias "
                "(a recursive anchor)",
            )
        self.open.add(key)
        if isinstance(node, MappingNode):
            total = self._mapping(node, path)
        elif isinstance(node, SequenceNode):
            total = self._sequence(node, path)
        elif isinstance(node, ScalarNode):
            total = 1
            self._scalar(node, path)
        else:
            total = 1
        self.open.discard(key)
        self.sizes[key] = total
        return total

    def _mapping(self, node: MappingNode, path: list[PathPart]) -> int:
        self._kind_tag(node, path, _CORE + "map", "a mapping")
        total = 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, f"{field_path(path)}: a list or mapping cannot be a key")
                continue
            total += self.size(key_node, path, via=node)
            total += self.size(value_node, [*path, str(key_node.value)], via=node)
        return total

    def _sequence(self, node: SequenceNode, path: list[PathPart]) -> int:
        self._kind_tag(node, path, _CORE + "seq", "a list")
        total = 1
        for index, item in enumerate(node.value):
            total += self.size(item, [*path, index], via=node)
        return total

    def _kind_tag(self, node: Node, path: list[PathPart], tag: str, kind: str) -> None:
        if node.tag != tag:
            self._problem(
                node, f"{field_path(path)}: {kind} tagged `{_short(node.tag)}`; {_REMOVE}"
            )

    def _scalar(self, node: ScalarNode, path: list[PathPart]) -> None:
        name = field_path(path)
        half = _SURROGATE.search(str(node.value))
        if half is not None:  # `"\ud800"`: no character; encoding it as UTF-8 fails later
            code = f"U+{ord(half.group(0)):04X}"
            self._problem(
                node,
                f"{name}: {code} is half of a UTF-16 surrogate pair, not a "
                "character; write the character itself, or `\\U` and its 8 digits",
            )
            return
        if node.tag not in _SCALAR_TAGS:
            self._problem(node, f"{name}: a value tagged `{_short(node.tag)}`; {_REMOVE}")
            return
        kind = _READ_AS.get(node.tag)
        if kind is None:
            return
        try:
            self.construct(node)
        except (ValueError, LookupError, TypeError, ArithmeticError, AttributeError):
            # what ruamel raises on one: `!!bool foo` KeyError, `!!int ""` IndexError
            self._problem(node, f"{name}: {self._unreadable(node, kind)}")

    def _unreadable(self, node: ScalarNode, kind: str) -> str:
        shown = _shown(str(node.value))
        if self.implicit_tag(str(node.value)) == node.tag and node.style is None:
            return f"`{shown}` is too large a number to read; write it in quotes to keep it as text"
        return f"`{shown}` is not {kind}, which its tag `{_short(node.tag)}` asks for"

    def _repeat(self, node: Node, size: int, path: list[PathPart], via: Node | None) -> None:
        self.repeated += size
        if self.repeated <= MAX_ALIAS_VALUES:
            return
        anchor = getattr(node, "anchor", None)
        named = f"the alias `*{printable(str(anchor))}`" if anchor else "an alias"
        self._stop(
            via or node,
            f"{field_path(path)}: {named} repeats {size:,} value(s); aliases in one file may "
            f"repeat {MAX_ALIAS_VALUES:,} values in all (an alias bomb?): write the values out",
        )

    def _problem(self, node: Node, message: str) -> None:
        if self.listed >= MAX_PROBLEMS:
            raise _Stop
        self.listed += 1
        self.problems.append(_at(node, message))

    def _stop(self, node: Node, message: str) -> None:
        self.problems.append(_at(node, message))
        raise _Stop


_REMOVE = "hybrid reads plain strings, numbers, true/false, lists and mappings: remove the tag"


def _at(node: Node, message: str) -> NodeProblem:
    mark: Any = node.start_mark
    return NodeProblem(line=mark.line + 1, column=mark.column + 1, message=printable(message))


def _short(tag: str | None) -> str:
    """`tag:yaml.org,2002:set` -> `!!set`; any other tag as written, made printable."""
    tag = str(tag)
    return printable("!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag)


def _shown(text: str, limit: int = 40) -> str:
    shown = printable(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
