"""`conda list --explicit` files (`@EXPLICIT` + package URLs) -> an `Inventory`.

Each URL becomes `channel::name ==version build`, with the channel taken from the URL and
the platform from its subdir.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from hybrid.envfiles.condaspec import conda_item
from hybrid.envfiles.inventory import Inventory, Item
from hybrid.envfiles.text import physical_lines, quoted
from hybrid.platforms import PLATFORMS
from hybrid.spec.location import Location
from hybrid.spec.matchspec import MatchSpecSyntaxError

EXPLICIT_MARKER = "@EXPLICIT"
_PLATFORM_HEADER = re.compile(r"^#\s*platform:\s*(\S+)\s*$")
_SUBDIR = re.compile(r"^(noarch|[a-z]+-[a-z0-9_]+)$")
_ANACONDA_ORG = "conda.anaconda.org"


def is_explicit(text: str) -> bool:
    return any(line.strip() == EXPLICIT_MARKER for line in physical_lines(text))


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
        elif line == EXPLICIT_MARKER:
            marker = marker or inv.at(number)
        elif line and not line.startswith("#"):
            if marker is None:
                inv.problem(inv.at(number), f"{quoted(line)!r} comes before `@EXPLICIT`")
            else:
                urls.append((inv.at(number), line))
    platforms = {item.text for item in inv.platforms}
    for where, line in urls:
        _add_url(inv, where, line, platforms)
    checksums = sum(1 for _, line in urls if "#" in line)
    if checksums and marker is not None:
        inv.note(
            marker,
            f"{checksums} package checksum(s)",
            "dropped: `hybrid solve` writes the sha256 of every package it pins",
        )


def _add_url(inv: Inventory, where: Location, line: str, platforms: set[str]) -> None:
    url = line.partition("#")[0].strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        inv.problem(where, f"{quoted(url)!r} is not a URL: {exc}")
        return
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme not in ("http", "https", "file") or len(segments) < 2:
        inv.problem(where, f"{quoted(url)!r} is not a package URL (channel/subdir/file)")
        return
    *channel_path, subdir, filename = segments
    stem = filename.removesuffix(".conda").removesuffix(".tar.bz2")
    fields = stem.rsplit("-", 2)
    if stem == filename or len(fields) != 3 or not all(fields) or not _SUBDIR.match(subdir):
        inv.problem(
            where,
            f"{quoted(url)!r} does not end in <subdir>/<name>-<version>-<build>.conda or .tar.bz2",
        )
        return
    if subdir != "noarch" and subdir not in PLATFORMS:
        inv.problem(
            where, f"platform {subdir!r} is not one hybrid solves for ({', '.join(PLATFORMS)})"
        )
        return
    channel = _channel(parts.scheme, parts.netloc, channel_path)
    name, version, build = fields
    if subdir != "noarch" and not platforms:
        inv.platforms.append(Item(text=subdir, location=where))
        platforms.add(subdir)
    own = {subdir} if subdir != "noarch" else set(platforms) if len(platforms) == 1 else set()
    try:
        item = conda_item(
            f"{channel}::{name} =={version} {build}",
            where,
            order=len(inv.conda),
            platforms=frozenset(own) if own else None,
        )
    except MatchSpecSyntaxError as exc:
        inv.problem(where, f"{quoted(url)!r} does not name a conda package: {exc}")
        return
    inv.conda.append(item)


def _channel(scheme: str, netloc: str, path: list[str]) -> str:
    """`conda-forge` for conda.anaconda.org channels, else the channel's URL."""
    if scheme == "https" and netloc == _ANACONDA_ORG and path:
        return "/".join(path)
    return f"{scheme}://{netloc}/{'/'.join(path)}".rstrip("/")
