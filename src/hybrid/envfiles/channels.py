"""The channels of an import, in conda's meaning, and `--channel-map` migrations.

conda reads an environment file without `channels:` with its default configuration:
`defaults`, which is https://repo.anaconda.com/pkgs/main and pkgs/r (and pkgs/msys2 on
Windows). hybrid resolves a channel name on conda.anaconda.org (`hybrid.spec.channels`), where
no `defaults` channel exists, so the import writes `defaults` as those URLs and says so.
`nodefaults` only tells conda not to add its default channels; hybrid never adds any.
`--channel-map OLD=NEW` replaces a channel everywhere: in `channels:` and before `::`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hybrid.envfiles.condaforms import with_channel
from hybrid.envfiles.inventory import CondaItem, Inventory, Note
from hybrid.envfiles.text import quoted
from hybrid.errors import UsageError
from hybrid.spec.channels import is_listed, short_channel
from hybrid.spec.location import Location

DEFAULTS = "defaults"
NODEFAULTS = "nodefaults"
DEFAULTS_MAIN = "https://repo.anaconda.com/pkgs/main"
DEFAULTS_R = "https://repo.anaconda.com/pkgs/r"
DEFAULTS_MSYS2 = "https://repo.anaconda.com/pkgs/msys2"
#: conda's names for the parts of `defaults`.
_ANACONDA_NAMES = {"pkgs/main": DEFAULTS_MAIN, "pkgs/r": DEFAULTS_R, "pkgs/msys2": DEFAULTS_MSYS2}
_MIGRATE = (
    "to move to conda-forge, as most labs are doing, import with "
    f"`--channel-map {DEFAULTS}=conda-forge`"
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Channels:
    """The spec's channels and the conda requests, with channels moved where they had to."""

    channels: tuple[str, ...]
    items: tuple[CondaItem, ...]


def parse_channel_map(values: Iterable[str]) -> dict[str, str]:
    """`--channel-map OLD=NEW` options -> {OLD: NEW}; `UsageError` for a malformed one."""
    mapping: dict[str, str] = {}
    for value in values:
        old, sep, new = (part.strip() for part in value.partition("="))
        if not sep or not old or not new or new == NODEFAULTS:
            raise UsageError(
                f"--channel-map {value!r}: expected OLD=NEW, two channel names or URLs",
                hint=f"e.g. --channel-map {DEFAULTS}=conda-forge",
            )
        mapping[short_channel(old)] = short_channel(new)
    return mapping


def merge_channels(
    files: Sequence[Inventory],
    items: Sequence[CondaItem],
    *,
    platforms: Sequence[str],
    channel_map: Mapping[str, str],
    notes: list[Note],
) -> Channels:
    """The channels of every file in order, then those only named before `::`."""
    mapper = _Mapper(channel_map=channel_map, windows="win-64" in platforms, notes=notes)
    listed: list[str] = []
    for inv in files:
        for channel in _file_channels(inv, notes):
            listed += [url for url in mapper.channel(channel) if url not in listed]
    moved = tuple(mapper.item(item) for item in items)
    # Relative channel paths are compared where the first file is; the import copies them.
    base_dir = files[0].path.parent if files else Path()
    for item in moved:
        if item.channel and not is_listed(item.channel, listed, base_dir=base_dir):
            listed.append(short_channel(item.channel))
    if files:
        mapper.unused(files[0].at(1))
    return Channels(channels=tuple(listed), items=moved)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Written:
    """A channel of an input file; `implicit` for the `defaults` of a file without any."""

    text: str
    location: Location
    implicit: bool = False


def _file_channels(inv: Inventory, notes: list[Note]) -> list[_Written]:
    """The channels conda uses for one file: as listed, or its default `defaults`."""
    if inv.kind == "environment" and not inv.channels:
        return [_Written(text=DEFAULTS, location=inv.at(1), implicit=True)]
    kept = []
    for item in inv.channels:
        text = short_channel(item.text)
        if text == NODEFAULTS:
            why = "dropped: it keeps conda from adding `defaults`, and hybrid never adds channels"
            notes.append(Note(location=item.location, what=NODEFAULTS, why=why))
        elif text:
            kept.append(_Written(text=text, location=item.location))
    return kept


@dataclass(kw_only=True, slots=True)
class _Mapper:
    """Applies `--channel-map`, then conda's meaning of `defaults`; notes each change."""

    channel_map: Mapping[str, str]
    windows: bool
    notes: list[Note]
    used: set[str] = field(default_factory=set)

    def channel(self, written: _Written) -> list[str]:
        """The names or URLs to list for one channel of a file."""
        mapped = self._map(written.text)
        urls = self._defaults(mapped)
        changes = []
        if mapped != written.text:
            changes.append(f"became `{mapped}` (--channel-map {written.text}={mapped})")
        if urls != [mapped]:
            changes.append(f"`{mapped}` is written as {', '.join(urls)}, what conda means by it")
        if written.implicit:
            what = "no `channels:`"
            changes.insert(0, f"conda uses `{DEFAULTS}` (its default configuration)")
        else:
            what = f"channel `{quoted(written.text)}`"
        if mapped == DEFAULTS:
            changes.append(_MIGRATE)
        if changes:
            self._note(written.location, what, "; ".join(changes))
        return urls

    def item(self, item: CondaItem) -> CondaItem:
        """`item` with its `channel::` mapped; `defaults::x` asks pkgs/main."""
        if item.channel is None:
            return item
        written = short_channel(item.channel)
        mapped = self._map(written)
        target = DEFAULTS_MAIN if mapped == DEFAULTS else _ANACONDA_NAMES.get(mapped, mapped)
        if target == written:
            return item
        moved = with_channel(item, target)
        why = f"became `{moved.spec}`"
        if mapped != written:
            why += f" (--channel-map {written}={mapped})"
        if mapped == DEFAULTS:
            why += f"; `{DEFAULTS}::` asks pkgs/main first; {_MIGRATE}"
        self._note(item.location, f"`{quoted(item.written)}`", why)
        return moved

    def unused(self, where: Location) -> None:
        """An option that changed nothing is a note (a typo would otherwise go unseen)."""
        for old, new in self.channel_map.items():
            if old not in self.used:
                why = f"no channel `{old}` in the inputs: nothing changed"
                self._note(where, f"--channel-map {old}={new}", why)

    def _map(self, channel: str) -> str:
        mapped = self.channel_map.get(channel)
        if mapped is None:
            return channel
        self.used.add(channel)
        return mapped

    def _defaults(self, channel: str) -> list[str]:
        if channel in _ANACONDA_NAMES:
            return [_ANACONDA_NAMES[channel]]
        if channel != DEFAULTS:
            return [channel]
        return [DEFAULTS_MAIN, DEFAULTS_R, *([DEFAULTS_MSYS2] if self.windows else [])]

    def _note(self, location: Location, what: str, why: str) -> None:
        self.notes.append(Note(location=location, what=what, why=why))
