"""Load the conda-to-PyPI mapping for a channel: published, overridden, or built-in."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from hybrid.errors import BackendError, UsageError
from hybrid.mapping.builtin import BUILTIN_TABLE
from hybrid.mapping.compressed import NameTable, parse_compressed_mapping
from hybrid.mapping.fetch import DEFAULT_MAX_AGE, DEFAULT_TIMEOUT, fetch_cached, is_url
from hybrid.mapping.model import CondaPypiMapping
from hybrid.mapping.parsed_cache import parsed_table
from hybrid.spec.channels import channel_name

logger = logging.getLogger(__name__)

PARSELMOUTH_URL = (
    "https://raw.githubusercontent.com/prefix-dev/parselmouth/main/files/v0/"
    "{channel}/compressed_mapping.json"
)
#: Channels parselmouth publishes a compressed mapping for.
PARSELMOUTH_CHANNELS = frozenset({"conda-forge", "bioconda", "pytorch", "tango-controls"})
BUILTIN_SOURCE = "built-in"


def parselmouth_url(channel: str) -> str | None:
    """The URL of the published mapping for `channel`, or None when there is none."""
    name = channel_name(channel)
    return PARSELMOUTH_URL.format(channel=name) if name in PARSELMOUTH_CHANNELS else None


def builtin_mapping(*, fallback: bool = False, note: str | None = None) -> CondaPypiMapping:
    """The built-in table of well-known renames, plus the python rule."""
    return CondaPypiMapping(
        source=BUILTIN_SOURCE, fallback=fallback, note=note, table=BUILTIN_TABLE,
        exact=BUILTIN_TABLE,
    )


def load_mapping(
    channel: str,
    *,
    override: str | None = None,
    offline: bool = False,
    cache_dir: Path | None = None,
    max_age: timedelta = DEFAULT_MAX_AGE,
    timeout: float = DEFAULT_TIMEOUT,
) -> CondaPypiMapping:
    """The conda-to-PyPI mapping for `channel` (a name or a URL).

    `override` (a file path or an http/https/file URL) replaces the published mapping; it
    never falls back: a missing file is a UsageError, an unusable document a BackendError.
    Without it, the channel's published parselmouth mapping is used (fetched, cached under
    `cache_dir` for `max_age`); when that is unavailable the built-in table stands in and
    the result has `fallback=True`. The built-in table fills names a document leaves out.
    """
    if override is not None:
        return _load_override(
            override, offline=offline, cache_dir=cache_dir, max_age=max_age, timeout=timeout
        )
    url = parselmouth_url(channel)
    if url is None:
        missing = f"no published conda-to-PyPI mapping for channel {channel_name(channel)!r}"
        logger.info("%s; using the built-in table", missing)
        return builtin_mapping(note=f"{missing}; using the built-in table")
    parse = _cached_parse(url, cache_dir)
    try:
        table, note = fetch_cached(
            url, parse, cache_dir=cache_dir, max_age=max_age, offline=offline, timeout=timeout
        )
    except BackendError as exc:
        logger.warning("%s; falling back to the built-in conda-to-PyPI table", exc.message)
        return builtin_mapping(fallback=True, note=f"{exc.message}; using the built-in table")
    return _over_builtin(table, source=url, note=note)


def _load_override(
    override: str, *, offline: bool, cache_dir: Path | None, max_age: timedelta, timeout: float
) -> CondaPypiMapping:
    if is_url(override):
        parse = _cached_parse(override, cache_dir)
        table, note = fetch_cached(
            override, parse, cache_dir=cache_dir, max_age=max_age, offline=offline, timeout=timeout
        )
        return _over_builtin(table, source=override, note=note)
    if "://" in override:
        raise UsageError(
            f"unsupported conda-to-PyPI mapping URL {override!r}",
            hint="use an http, https or file URL, or a local path",
        )
    path = Path(override).expanduser()
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UsageError(f"conda-to-PyPI mapping file not found: {path}") from exc
    except OSError as exc:
        raise UsageError(f"cannot read conda-to-PyPI mapping file {path}: {exc.strerror}") from exc
    table = _cached_parse(str(path), cache_dir)(data)
    return _over_builtin(table, source=str(path))


def _cached_parse(source: str, cache_dir: Path | None) -> Callable[[bytes], NameTable]:
    """Parse a mapping document, or take its table from the parsed cache."""
    parse = functools.partial(parse_compressed_mapping, source=source)
    return lambda data: parsed_table(data, parse, cache_dir=cache_dir)


def _over_builtin(table: NameTable, *, source: str, note: str | None = None) -> CondaPypiMapping:
    return CondaPypiMapping(
        source=source, note=note, table={**BUILTIN_TABLE, **table}, exact=BUILTIN_TABLE
    )


def mapping_for_channels(
    channels: tuple[str, ...],
    *,
    override: str | None = None,
    offline: bool = False,
    cache_dir: Path | None = None,
) -> CondaPypiMapping:
    """The mapping a spec's pip layer is checked with: the published one of its first channel
    parselmouth covers (or `override`), else the built-in table."""
    channel = mapping_channel(channels, override=override)
    if channel is None:
        return builtin_mapping()
    return load_mapping(channel, override=override, offline=offline, cache_dir=cache_dir)


def mapping_channel(channels: tuple[str, ...], *, override: str | None = None) -> str | None:
    """The channel whose mapping `mapping_for_channels` loads; None for the built-in table.
    Specs with the same answer (and override) share one mapping."""
    known = [c for c in channels if channel_name(c) in PARSELMOUTH_CHANNELS]
    if not known and not override:
        return None
    return known[0] if known else channels[0]
