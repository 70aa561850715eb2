"""The libmamba backend's repodata reader: a remote channel's repodata.json is downloaded into
hybrid's cache and used again while it is younger than MAX_AGE_SECONDS (conda-forge's own
`max-age`), then fetched again; offline any cached copy is used."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from hybrid.conda.repodata_files import MAX_AGE_SECONDS, RepodataFiles
from hybrid.spec.channels import ChannelRef
from tests.pages import PageHandler, QuietServer


class _Channel(PageHandler):
    versions: ClassVar[list[str]] = ["1.0"]

    def do_GET(self) -> None:
        if not self.path.endswith("/noarch/repodata.json"):
            self.send_error(404)
            return
        packages = {
            f"app-{v}-0.tar.bz2": {"name": "app", "version": v, "build": "0", "build_number": 0,
                                   "depends": [], "subdir": "noarch"}
            for v in self.versions
        }  # fmt: skip
        self.send_page(json.dumps({"packages": packages}).encode(), "application/json")


@pytest.fixture
def channel() -> Iterator[tuple[str, type[_Channel]]]:
    handler = type("Handler", (_Channel,), {"versions": ["1.0"]})
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/lab", handler
    finally:
        server.shutdown()
        server.server_close()


def _versions(url: str, cache: Path, tmp_path: Path, *, offline: bool = False) -> set[str]:
    ref = ChannelRef(written=url, canonical_url=url, location_url=url)
    files = RepodataFiles(cache_dir=cache, offline=offline, scratch=tmp_path)
    found = files.subdir(ref, "noarch", exclude_newer=None, drop_undated=False)
    return {record["version"] for record in found.records.values()}


def test_a_cached_copy_is_used_until_it_is_older_than_the_max_age(
    channel: tuple[str, type[_Channel]], tmp_path: Path
) -> None:
    url, handler = channel
    cache = tmp_path / "cache"
    assert _versions(url, cache, tmp_path) == {"1.0"}
    handler.versions = ["1.0", "2.0"]  # the channel publishes a release
    assert _versions(url, cache, tmp_path) == {"1.0"}  # a fresh copy is used as it is
    (copy,) = (cache / "libmamba" / "repodata").iterdir()
    old = copy.stat().st_mtime - MAX_AGE_SECONDS - 1
    os.utime(copy, (old, old))
    assert _versions(url, cache, tmp_path, offline=True) == {"1.0"}  # offline: any copy
    assert _versions(url, cache, tmp_path) == {"1.0", "2.0"}  # expired: fetched again
