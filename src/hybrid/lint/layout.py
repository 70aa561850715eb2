"""Lint rules about the shape of a file: parse errors, pip blocks, prefix, channels, duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.utils import canonicalize_name

from hybrid.envfiles.inventory import Inventory
from hybrid.envfiles.text import quoted
from hybrid.lint.rules import LintFinding, finding
from hybrid.spec.channels import is_listed, short_channel
from hybrid.spec.location import Location

_ABSOLUTE = re.compile(r"^(/|~|[A-Za-z]:[\\/]|\\\\)")


def parse_errors(inv: Inventory) -> Iterator[LintFinding]:
    """H000: whatever could not be parsed."""
    for where, message in inv.problems:
        yield finding("H000", where, f"cannot parse: {message}")


def pip_blocks(inv: Inventory) -> Iterator[LintFinding]:
    """H001 (pip before conda items), H002 (no `pip` in conda), H004 (several blocks)."""
    if not inv.pip_blocks:
        return
    for block in inv.pip_blocks:
        later = [item for item in inv.conda if item.order > block.order]
        if later:
            yield finding(
                "H001",
                block.location,
                f"`pip:` section before the conda item `{later[0].written}` (line "
                f"{later[0].location.line}): pip installs after every conda package "
                "anyway, so the file does not read in install order",
            )
    if not any(item.name == "pip" for item in inv.conda):
        yield finding(
            "H002",
            inv.pip_blocks[0].location,
            "`pip:` section without `pip` among the conda dependencies: conda then "
            "runs whatever pip it finds first, outside the environment",
        )
    first = inv.pip_blocks[0]
    for block in inv.pip_blocks[1:]:
        yield finding(
            "H004",
            block.location,
            f"another `pip:` block (the first is at line {first.location.line}): "
            "conda installs them together, so several blocks only hide duplicates",
        )


def prefix(inv: Inventory) -> Iterator[LintFinding]:
    """H009: an absolute `prefix:` (what `conda env export` writes)."""
    if inv.prefix is not None and _ABSOLUTE.match(inv.prefix.text.strip()):
        yield finding(
            "H009",
            inv.prefix.location,
            f"`prefix: {quoted(inv.prefix.text)}` is a path on the machine that "
            "exported the file; `conda env create` would write the environment there",
        )


def unlisted_channels(inv: Inventory) -> Iterator[LintFinding]:
    """H010: `channel::name` whose channel `channels:` does not list."""
    channels = [c.text for c in inv.channels]
    if inv.kind == "spec" and not channels:
        channels = ["conda-forge"]
    if inv.kind == "explicit":
        return
    for item in inv.conda:
        if item.channel and not is_listed(item.channel, channels, base_dir=inv.path.parent):
            yield finding(
                "H010",
                item.location,
                f"`{item.written}` asks for channel `{item.channel}`, which "
                "`channels:` does not list: hybrid refuses it, and conda reads that "
                "channel for this one package only",
                fix=f"add `{short_channel(item.channel)}` to `channels:`",
            )


def duplicates(inv: Inventory) -> Iterator[LintFinding]:
    """H011: the same channel, conda package or pip requirement twice."""
    seen_channels: dict[str, int] = {}
    for item in inv.channels:
        key = short_channel(item.text)
        if key in seen_channels:
            yield _twice(item.location, f"channel `{key}`", seen_channels[key])
        seen_channels.setdefault(key, item.location.line)
    conda: dict[str, list[tuple[frozenset[str] | None, int]]] = {}
    for entry in inv.conda:
        for platforms, line in conda.get(entry.name, []):
            if platforms is None or entry.platforms is None or platforms & entry.platforms:
                yield _twice(entry.location, f"conda package `{entry.name}`", line)
                break
        conda.setdefault(entry.name, []).append((entry.platforms, entry.location.line))
    pip: dict[tuple[str, str], int] = {}
    for pip_item in inv.pip:
        requirement = pip_item.requirement
        key2 = (canonicalize_name(requirement.name), str(requirement.marker or ""))
        if key2 in pip:
            yield _twice(pip_item.location, f"pip requirement `{requirement.name}`", pip[key2])
        pip.setdefault(key2, pip_item.location.line)


def _twice(where: Location, what: str, line: int) -> LintFinding:
    return finding("H011", where, f"{what} is already listed at line {line}")
