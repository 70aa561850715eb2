"""The import graph of src/hybrid keeps the pipeline's layering (see ARCHITECTURE.md): no
import cycle between top-level parts, and the pipeline's stages never reach up to the
orchestrator or the command line. Every import counts, also one inside a function."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import hybrid

SRC = Path(hybrid.__file__).parent

# The stages of the pipeline, and what none of them may import.
STAGES = ("spec", "conda", "pypi", "mapping", "guards", "emit", "lock")
ABOVE_THE_STAGES = ("cli", "pipeline", "readback", "init", "install", "doctor", "export")
# Readers of hybrid's own outputs: only the commands that read outputs import them.
# (prefix/ checks an installed environment against requirements.txt; export/ turns the
# locks into other formats.)
READBACK_USERS = {"cli", "install", "doctor", "prefix", "readback", "export"}


def _part(module: str) -> str | None:
    """`hybrid.spec.model` -> `spec`; None for a module outside hybrid."""
    names = module.split(".")
    if names[0] != "hybrid":
        return None
    return names[1] if len(names) > 1 else "__init__"


def _imports(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _exists(part: str) -> bool:
    """A part of hybrid (not a name imported from the package, like `__version__`)."""
    return (SRC / part).is_dir() or (SRC / f"{part}.py").is_file()


def _graph() -> dict[str, set[str]]:
    """Top-level part -> the other parts it imports (root modules are parts of their own)."""
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).with_suffix("")
        source = relative.parts[0]
        targets = graph.setdefault(source, set())
        for module in _imports(path):
            target = _part(module)
            if target is not None and target != source and _exists(target):
                targets.add(target)
    return graph


GRAPH = _graph()


def _cycle_through(start: str) -> list[str] | None:
    """A path start -> ... -> start, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


@pytest.mark.parametrize("part", sorted(GRAPH))
def test_no_import_cycle_between_parts(part: str) -> None:
    assert _cycle_through(part) is None, " -> ".join(_cycle_through(part) or [])


@pytest.mark.parametrize("stage", STAGES)
def test_stages_never_import_the_orchestrator_or_the_commands(stage: str) -> None:
    assert GRAPH[stage].isdisjoint(ABOVE_THE_STAGES), sorted(GRAPH[stage] & set(ABOVE_THE_STAGES))


def test_readers_of_outputs_are_imported_only_by_commands_that_read_outputs() -> None:
    users = {part for part, targets in GRAPH.items() if "readback" in targets}
    assert users <= READBACK_USERS, sorted(users - READBACK_USERS)


def test_the_graph_sees_the_known_edges() -> None:
    """The walk itself works: edges every reader of the code can confirm."""
    assert {"spec", "conda", "pypi", "emit", "lock"} <= GRAPH["pipeline"]
    assert "lock" in GRAPH["emit"]
    assert "pipeline" in GRAPH["cli"]
