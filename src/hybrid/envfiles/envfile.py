"""`environment.yml` (what `conda env export` and people write) -> an `Inventory`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hybrid.envfiles.condaforms import split_extras
from hybrid.envfiles.condaspec import conda_item
from hybrid.envfiles.inventory import Inventory, PipBlock
from hybrid.envfiles.piplines import add_pip_line
from hybrid.envfiles.text import physical_lines, quoted
from hybrid.envfiles.yamldoc import load_conda_yaml, scalar, selector
from hybrid.spec.loader import LoadedDocument
from hybrid.spec.location import Location
from hybrid.spec.matchspec import MatchSpecSyntaxError

_KNOWN_KEYS = frozenset({"name", "channels", "dependencies", "prefix", "platforms"})


def read_environment(inv: Inventory) -> None:
    """Fill `inv` (kind "environment") from the file at `inv.path`."""
    doc = load_conda_yaml(inv)
    if doc is None:
        return
    inv.prefix = scalar(doc, ["prefix"])
    _dependencies(inv, doc)
    if inv.prefix is not None:
        inv.note(
            inv.prefix.location,
            f"prefix: {inv.prefix.text}",
            "dropped: the path of the environment on the machine that exported it",
        )
    for key in doc.data:
        if key not in _KNOWN_KEYS:
            why = (
                ("environment variables are not part of a spec; set them in an activation script")
                if key == "variables"
                else "not part of a spec, dropped"
            )
            inv.note(doc.locate([key], key=True), f"{quoted(key)}:", why)


def _dependencies(inv: Inventory, doc: LoadedDocument) -> None:
    deps = doc.data.get("dependencies")
    if deps is None:
        return
    if not isinstance(deps, list):
        inv.problem(doc.locate(["dependencies"]), "`dependencies` must be a list")
        return
    lines = physical_lines(doc.text)
    for index, entry in enumerate(deps):
        where = doc.locate(["dependencies", index])
        if isinstance(entry, str):
            _conda(inv, entry, where, order=index, selector=selector(lines, where))
        elif isinstance(entry, dict) and list(entry) == ["pip"]:
            _pip_block(inv, doc, index, entry["pip"], lines)
        else:
            inv.problem(
                where, f"expected a package spec or a `pip:` list, found {quoted(_describe(entry))}"
            )


def _conda(
    inv: Inventory, entry: str, where: Location, *, order: int, selector: str | None
) -> None:
    """One conda request; pip's `name[extra]` form is read as `name`, with a note."""
    written, extras = split_extras(entry)
    try:
        item = conda_item(written, where, order=order, selector=selector)
    except MatchSpecSyntaxError as exc:
        inv.problem(where, f"{quoted(entry)!r} is not a conda package spec: {exc}")
        return
    inv.conda.append(item)
    if extras is not None:
        inv.note(
            where,
            f"`{quoted(entry)}`",
            f"imported as `{item.spec}`: the extra [{quoted(extras)}] was dropped; conda "
            "packages have no extras (conda refuses this form); pip extras belong in `pip:`",
        )


def _pip_block(
    inv: Inventory, doc: LoadedDocument, index: int, entries: Any, lines: Sequence[str]
) -> None:
    block = len(inv.pip_blocks)
    inv.pip_blocks.append(
        PipBlock(location=doc.locate(["dependencies", index, "pip"], key=True), order=index)
    )
    if entries is None:
        return
    if not isinstance(entries, list):
        inv.problem(doc.locate(["dependencies", index, "pip"]), "`pip:` must be a list")
        return
    for number, text in enumerate(entries):
        where = doc.locate(["dependencies", index, "pip", number])
        if isinstance(text, str):
            add_pip_line(inv, text, where, block=block, selector=selector(lines, where))
        else:
            inv.problem(where, f"expected a pip requirement, found {quoted(_describe(text))}")


def _describe(entry: Any) -> str:
    if isinstance(entry, dict):
        return "a mapping with " + ", ".join(f"`{key}`" for key in entry) if entry else "{}"
    return "nothing" if entry is None else repr(entry)
