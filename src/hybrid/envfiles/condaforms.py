"""Conda requests in forms a spec cannot keep as written: pip extras, a channel moved."""

from __future__ import annotations

import re
from dataclasses import replace

from hybrid.envfiles.condaspec import conda_item
from hybrid.envfiles.inventory import CondaItem
from hybrid.envfiles.text import quoted
from hybrid.errors import UsageError
from hybrid.spec.matchspec import MatchSpecSyntaxError

# pip's extras right after the name (`imageio[ffmpeg]`, `ray[default,tune]>=2`); conda's own
# bracket form always holds `key=value` pairs (`numpy[version=">=1.26"]`).
_EXTRAS = re.compile(
    r"^(?P<head>\s*(?:\S*::)?[A-Za-z0-9_][A-Za-z0-9_.-]*)"
    r"\[(?P<extras>\s*[A-Za-z0-9][A-Za-z0-9_.-]*(?:\s*,\s*[A-Za-z0-9][A-Za-z0-9_.-]*)*\s*)\]"
    r"(?P<rest>.*)$",
    re.DOTALL,
)


def split_extras(written: str) -> tuple[str, str | None]:
    """`imageio[ffmpeg] >=2.9` -> (`imageio >=2.9`, `ffmpeg`); other requests stay as written.

    pip's extras are no conda syntax: conda refuses `imageio[ffmpeg]` ("invalid bracket").
    """
    found = _EXTRAS.match(written)
    if found is None:
        return written, None
    extras = ",".join(part.strip() for part in found.group("extras").split(","))
    return (found.group("head") + found.group("rest")).strip(), extras


def with_channel(item: CondaItem, channel: str) -> CondaItem:
    """`item` asked from `channel` instead of the channel it names (`defaults::numpy`).

    `channel` comes from the command line (`--channel-map`): one conda cannot read is a
    `UsageError`.
    """
    _, sep, rest = item.spec.partition("::")
    try:
        moved = conda_item(
            f"{channel}::{rest if sep else item.spec}",
            item.location,
            order=item.order,
            platforms=item.platforms,
            selector=item.selector,
        )
    except MatchSpecSyntaxError as exc:
        raise UsageError(
            f"`{quoted(channel)}` is not a channel conda can read ({exc})",
            hint="a channel is a name such as conda-forge, or a URL",
        ) from None
    return replace(moved, written=item.written)
