"""`conda list --explicit` files (`@EXPLICIT` + package URLs) -> an `Inventory`.

Each URL becomes `channel::name ==version build`, with the channel taken from the URL and
the platform from its subdir.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from hybrid.conda.explicit import ExplicitLineError, is_marker, parse_url, split_line
from hybrid.envfiles.condaspec import conda_item
from hybrid.envfiles.inventory import Inventory, Item
from hybrid.envfiles.text import physical_lines, quoted
from hybrid.platforms import PLATFORMS
from hybrid.spec.location import Location
from hybrid.spec.matchspec import MatchSpecSyntaxError

_PLATFORM_HEADER = re.compile(r"^#\s*platform:\s*(\S+)\s*$")
_SCHEMES = ("http", "https", "file")


def is_explicit(text: str) -> bool:
    return any(is_marker(line) for line in physical_lines(text))


def read_explicit(inv: Inventory, text: str) -> None:
    """Fill `inv` (kind "explicit") from the lines of `text`."""
    inv.claims_lock = True
    urls: list[tuple[Location, str]] = []
    marker: Location | None = None
    for number, raw in enumerate(physical_lines(text), start=1):
        line = raw.strip()
        header = _PLATFORM_HEADER.match(line)
        if header:
            inv.platforms.append(Item(text=header.group(1), location=inv.at(number)))
        elif is_marker(line):
            marker = marker or inv.at(number)
        elif line and not line.startswith("#"):
            if marker is None:
                inv.problem(inv.at(number), f"{quoted(line)!r} comes before `@EXPLICIT`")
            else:
                urls.append((inv.at(number), line))
    platforms = {item.text for item in inv.platforms}
    for where, line in urls:
        _add_url(inv, where, line, platforms)
    checksums = sum(1 for _, line in urls if split_line(line)[1])
    if checksums and marker is not None:
        inv.note(
            marker,
            f"{checksums} package checksum(s)",
            "dropped: `hybrid solve` writes the sha256 of every package it pins",
        )


def _add_url(inv: Inventory, where: Location, line: str, platforms: set[str]) -> None:
    url = split_line(line)[0]
    try:
        entry = parse_url(url)
    except ExplicitLineError as exc:
        inv.problem(where, f"{quoted(exc.text)!r} {exc.why}")
        return
    if urlsplit(url).scheme not in _SCHEMES:
        inv.problem(where, f"{quoted(url)!r} is not an http, https or file URL")
        return
    subdir = entry.subdir
    if subdir != "noarch" and subdir not in PLATFORMS:
        inv.problem(
            where, f"platform {subdir!r} is not one hybrid solves for ({', '.join(PLATFORMS)})"
        )
        return
    if subdir != "noarch" and not platforms:
        inv.platforms.append(Item(text=subdir, location=where))
        platforms.add(subdir)
    own = {subdir} if subdir != "noarch" else set(platforms) if len(platforms) == 1 else set()
    try:
        item = conda_item(
            f"{entry.channel}::{entry.name} =={entry.version} {entry.build}",
            where,
            order=len(inv.conda),
            platforms=frozenset(own) if own else None,
        )
    except MatchSpecSyntaxError as exc:
        inv.problem(where, f"{quoted(url)!r} does not name a conda package: {exc}")
        return
    inv.conda.append(item)
