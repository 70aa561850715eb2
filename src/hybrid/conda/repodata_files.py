"""The `repodata.json` of each channel subdir a solve reads, as files on disk and as records.

libmamba loads a subdir from a `repodata.json` path. A local (`file://`) channel's file is read
in place; a remote channel's is fetched once into hybrid's cache (`--offline` reads only the
cache). Under a snapshot (`exclude_newer`) the records published after it are left out before
libmamba sees them, with the same dating as the rattler backend: a record's `timestamp`, else
its `indexed_timestamp`; undated records are kept unless the request drops them
(`--snapshot-strict`). The parsed records stay available by file name, so a solved package is
reported from its repodata record exactly as the channel wrote it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hybrid.atomic import write_files_atomically
from hybrid.errors import ChannelError
from hybrid.redact import redact
from hybrid.spec.channels import ChannelRef

REPODATA = "repodata.json"
NOARCH = "noarch"
# conda's timestamps are milliseconds; old records (and some tools) wrote seconds.
_SECONDS_LIMIT = 253_402_300_799  # 9999-12-31 in seconds: anything larger is milliseconds
_TIMEOUT = 60.0
# How long a downloaded repodata.json is used before it is fetched again: conda-forge serves
# it with `Cache-Control: max-age=1200`, which conda honours; offline any copy is used.
MAX_AGE_SECONDS = 1200.0

Record = Mapping[str, Any]
#: a record filter: False leaves the record out of what the solver loads
Keep = Callable[[Record], bool]


@dataclass(frozen=True, kw_only=True, slots=True)
class SubdirRepodata:
    """One channel subdir: where libmamba reads it from and its records by file name."""

    ref: ChannelRef
    subdir: str
    path: Path | None  # None: the channel has no such subdir (read as empty)
    records: Mapping[str, Record]

    @property
    def url(self) -> str:
        """The subdir's location URL: libmamba builds each package URL from it."""
        return f"{self.ref.location_url.rstrip('/')}/{self.subdir}"


def record_date(record: Record) -> dt.datetime | None:
    """When a snapshot dates `record`: its build time, else when it was indexed."""
    raw = record.get("timestamp") or record.get("indexed_timestamp")
    if not isinstance(raw, int | float) or raw <= 0:
        return None
    seconds = raw / 1000 if raw > _SECONDS_LIMIT else raw
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)


class RepodataFiles:
    """Reads (and for remote channels fetches) subdirs once per solver, filters per request."""

    def __init__(self, *, cache_dir: Path, offline: bool, scratch: Path) -> None:
        self._cache = cache_dir / "libmamba" / "repodata"
        self._offline = offline
        self._scratch = scratch
        self._parsed: dict[tuple[str, str], tuple[Path | None, dict[str, Any]]] = {}

    def subdir(
        self,
        ref: ChannelRef,
        subdir: str,
        *,
        exclude_newer: dt.datetime | None,
        drop_undated: bool,
        keep: Keep | None = None,
    ) -> SubdirRepodata:
        """The subdir as the request may see it: without the records the snapshot excludes
        and those `keep` refuses (a new file is written only when something was left out)."""
        path, document = self._document(ref, subdir)
        records = _records(document)
        kept = {
            fn: r
            for fn, r in records.items()
            if _kept(r, exclude_newer, drop_undated) and (keep is None or keep(r))
        }
        if path is None or len(kept) == len(records):
            return SubdirRepodata(ref=ref, subdir=subdir, path=path, records=records)
        filtered = self._write_filtered(document, kept, path)
        return SubdirRepodata(ref=ref, subdir=subdir, path=filtered, records=kept)

    def _document(self, ref: ChannelRef, subdir: str) -> tuple[Path | None, dict[str, Any]]:
        key = (ref.location_url, subdir)
        if key not in self._parsed:
            local = ref.local_path()
            path = local / subdir / REPODATA if local is not None else self._remote(ref, subdir)
            if path is None or not path.is_file():
                self._parsed[key] = (None, {})
            else:
                self._parsed[key] = (path, _parse(path, ref))
        return self._parsed[key]

    def _remote(self, ref: ChannelRef, subdir: str) -> Path | None:
        url = f"{ref.location_url.rstrip('/')}/{subdir}/{REPODATA}"
        cached = self._cache / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")
        if cached.is_file() and (self._offline or _age(cached) < MAX_AGE_SECONDS):
            return cached
        if self._offline:
            raise ChannelError(
                f"offline: the repodata cache has no copy of {redact(url)}; "
                "run once without --offline"
            )
        try:
            with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
                body: bytes = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and subdir != NOARCH:
                return None  # a channel without this platform: read as empty, as rattler does
            raise ChannelError(f"cannot read {redact(url)}: HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise ChannelError(f"cannot read {redact(url)}: {redact(str(exc))}") from None
        self._cache.mkdir(parents=True, exist_ok=True)
        write_files_atomically({cached: body})
        return cached

    def _write_filtered(
        self, document: Mapping[str, Any], kept: Mapping[str, Record], source: Path
    ) -> Path:
        out = {key: value for key, value in document.items() if key not in _SECTIONS}
        for section in _SECTIONS:
            out[section] = {fn: r for fn, r in document.get(section, {}).items() if fn in kept}
        digest = hashlib.sha256(f"{source}:{sorted(kept)}".encode()).hexdigest()[:24]
        path = self._scratch / f"{digest}.json"
        if not path.is_file():
            path.write_text(json.dumps(out), encoding="utf-8")
        return path


_SECTIONS = ("packages", "packages.conda")


def _parse(path: Path, ref: ChannelRef) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ChannelError(f"channel {redact(ref.written)!r}: cannot read {path}: {exc}") from None
    if not isinstance(document, dict):
        raise ChannelError(f"channel {redact(ref.written)!r}: {path} is not a repodata object")
    return document


def _records(document: Mapping[str, Any]) -> dict[str, Record]:
    found: dict[str, Record] = {}
    for section in _SECTIONS:
        packages = document.get(section) or {}
        if isinstance(packages, dict):
            found.update(packages)
    return found


def _kept(record: Record, exclude_newer: dt.datetime | None, drop_undated: bool) -> bool:
    date = record_date(record)
    if date is None:
        return not drop_undated
    return exclude_newer is None or date <= exclude_newer


def _age(path: Path) -> float:
    """Seconds since `path` was written."""
    return time.time() - path.stat().st_mtime
