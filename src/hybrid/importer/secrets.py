"""`hybrid import` copies no credentials into a spec.

A channel (`https://user:token@host/channel`, `https://host/t/<token>/channel`, in
`channels:`, before `::` or in an explicit file's URLs), an `--index-url`,
`--extra-index-url` or `--find-links` line, or a pip direct reference may carry credentials.
The spec gets the URL without them (`hybrid.redact`), and a note says so and where the
credentials go instead: rattler's and uv's own credential stores (README, "Private channels
and indexes").
"""

from __future__ import annotations

from dataclasses import replace

from packaging.requirements import Requirement

from hybrid.envfiles.condaforms import with_channel
from hybrid.envfiles.inventory import CondaItem, Inventory, Item, PipItem
from hybrid.redact import redact

_README = 'README, "Private channels and indexes"'
CONDA_WHY = (
    "credentials removed, never copied into a spec: give them to `hybrid solve` in a "
    f"`--mirror`, to `hybrid install` through rattler's credential store ({_README})"
)
PIP_WHY = f"credentials removed, never copied into a spec: uv and pip read ~/.netrc ({_README})"


def without_secrets(found: Inventory) -> Inventory:
    """`found` without credentials in any URL the spec would copy, each removal noted."""
    inv = replace(found, notes=list(found.notes))
    inv.channels = [_item(inv, item, "channel", CONDA_WHY) for item in inv.channels]
    inv.conda = [_conda(inv, item) for item in inv.conda]
    inv.index_urls = [_item(inv, i, "--index-url", PIP_WHY) for i in inv.index_urls]
    inv.extra_index_urls = [
        _item(inv, i, "--extra-index-url", PIP_WHY) for i in inv.extra_index_urls
    ]
    inv.find_links = [_item(inv, i, "--find-links", PIP_WHY) for i in inv.find_links]
    inv.pip = [_pip(inv, item) for item in inv.pip]
    return inv


def _item(inv: Inventory, item: Item, what: str, why: str) -> Item:
    clean = redact(item.text)
    if clean == item.text:
        return item
    shown = f"{what} `{clean.strip()}`" if what == "channel" else f"{what} {clean.strip()}"
    inv.note(item.location, shown, why)
    return replace(item, text=clean)


def _conda(inv: Inventory, item: CondaItem) -> CondaItem:
    if item.channel is None or redact(item.channel) == item.channel:
        return item
    moved = with_channel(item, redact(item.channel))
    inv.note(item.location, f"`{moved.spec}`", f"its channel's {CONDA_WHY}")
    return replace(moved, written=redact(item.written))


def _pip(inv: Inventory, item: PipItem) -> PipItem:
    url = item.requirement.url
    if url is None or redact(url) == url:
        return item
    requirement = Requirement(str(item.requirement))
    requirement.url = redact(url)
    inv.note(item.location, f"`{requirement}`", PIP_WHY)
    return replace(item, requirement=requirement, written=redact(item.written))
