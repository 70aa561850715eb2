"""Read the inputs of an import, following `-r other.txt` relative to the file that names it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hybrid.adopt.inventory import Inventory, Item, Problem
from hybrid.adopt.read import read_inventory
from hybrid.adopt.reqfile import read_requirements
from hybrid.adopt.text import decode, quoted, read_bytes
from hybrid.errors import SpecError, UsageError


def collect(inputs: Sequence[Path]) -> list[Inventory]:
    """Every input, then the files it includes; all parse problems in one `SpecError`."""
    inventories: list[Inventory] = []
    seen: set[Path] = set()
    for path in inputs:
        inv = read_inventory(path)
        if inv.kind == "spec":
            raise UsageError(
                f"{path}: is already a hybrid spec; nothing to import",
                hint=f"check it with `hybrid validate {path}`",
            )
        seen.add(path.resolve())
        _add(inv, inventories, seen)
    problems: list[Problem] = [p for inv in inventories for p in inv.problems]
    if problems:
        problems.sort(key=lambda p: (p[0].file, p[0].line, p[0].column))
        raise SpecError(
            [f"{where}: {message}" for where, message in problems],
            path=None if len(inputs) > 1 else str(inputs[0]),
        )
    return inventories


def _add(inv: Inventory, inventories: list[Inventory], seen: set[Path]) -> None:
    inventories.append(inv)
    for include in inv.includes:
        try:
            target = _target(inv, include)
            key = target.resolve()
        except (ValueError, RuntimeError, OSError) as exc:  # NUL bytes, `~user` unknown
            inv.problem(include.location, f"-r {quoted(include.text)}: not a usable path: {exc}")
            continue
        if key in seen:
            inv.note(include.location, f"-r {include.text}", "already read; included once")
            continue
        seen.add(key)
        included = _read_included(inv, include, target)
        if included is not None:
            _add(included, inventories, seen)


def _target(inv: Inventory, include: Item) -> Path:
    path = Path(include.text).expanduser()
    return path if path.is_absolute() else inv.path.parent / path


def _read_included(inv: Inventory, include: Item, target: Path) -> Inventory | None:
    try:
        raw = read_bytes(target)
    except UsageError as exc:
        inv.problem(include.location, f"-r {quoted(include.text)}: {exc.message}")
        return None
    text, why = decode(raw)
    if text is None:
        inv.problem(include.location, f"-r {quoted(include.text)}: {why}")
        return None
    return read_requirements(target, str(target), text)
