"""A hybrid spec read for `lint` -> an `Inventory` (`hybrid validate` checks the schema)."""

from __future__ import annotations

from packaging.requirements import InvalidRequirement, Requirement

from hybrid.envfiles.condaspec import conda_item
from hybrid.envfiles.inventory import Inventory, PipItem
from hybrid.envfiles.text import quoted
from hybrid.envfiles.yamldoc import load_conda_yaml, strings
from hybrid.spec.loader import LoadedDocument
from hybrid.spec.matchspec import MatchSpecSyntaxError


def read_spec(inv: Inventory) -> None:
    """Fill `inv` (kind "spec") from the spec at `inv.path`."""
    doc = load_conda_yaml(inv)
    if doc is None:
        return
    inv.cuda = strings(inv, doc, ["cuda"])
    inv.index_urls = strings(inv, doc, ["pip-index", "index-url"])
    inv.extra_index_urls = strings(inv, doc, ["pip-index", "extra-index-urls"])
    inv.find_links = strings(inv, doc, ["pip-index", "find-links"])
    _conda(inv, doc)
    for item in strings(inv, doc, ["pip"]):
        try:
            requirement = Requirement(item.text)
        except InvalidRequirement as exc:
            inv.problem(
                item.location,
                f"{quoted(item.text)!r} is not a valid requirement: "
                f"{str(exc).splitlines()[0] if str(exc) else 'invalid'}",
            )
            continue
        inv.pip.append(PipItem(requirement=requirement, written=item.text, location=item.location))


def _conda(inv: Inventory, doc: LoadedDocument) -> None:
    entries = doc.data.get("conda")
    if not isinstance(entries, list):
        return
    for index, entry in enumerate(entries):
        path: list[str | int] = ["conda", index]
        only = None
        if isinstance(entry, dict):
            path.append("spec")
            wanted = entry.get("platforms")
            only = frozenset(map(str, wanted)) if isinstance(wanted, list) else None
            entry = entry.get("spec")
        if not isinstance(entry, str):
            continue  # the schema's business: `hybrid validate` says what is wrong
        where = doc.locate(path)
        try:
            inv.conda.append(conda_item(entry, where, order=index, platforms=only))
        except MatchSpecSyntaxError as exc:
            inv.problem(where, f"{quoted(entry)!r} is not a conda match spec: {exc}")
