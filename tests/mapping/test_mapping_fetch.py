"""The mapping cache file of a URL; fetching over HTTP and file://."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hybrid.cache import CACHE_ENV
from hybrid.errors import BackendError
from hybrid.mapping.fetch import cache_file, fetch_url, is_url

if TYPE_CHECKING:
    from tests.mapping.conftest import Server


def test_cache_file_defaults_to_the_cache_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env"))
    assert cache_file("https://example.org/a.json").parent == tmp_path / "env" / "mapping"
    assert cache_file("https://example.org/a.json", tmp_path / "arg").parent == (
        tmp_path / "arg" / "mapping"
    )


def test_cache_file_is_per_url_under_mapping(tmp_path: Path) -> None:
    one = cache_file("https://example.org/a.json", tmp_path)
    assert one == cache_file("https://example.org/a.json", tmp_path)
    assert one != cache_file("https://example.org/b.json", tmp_path)
    assert one.parent == tmp_path / "mapping"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://x.org/m.json", True),
        ("HTTP://x.org/m.json", True),
        ("file:///tmp/m.json", True),
        ("ftp://x.org/m.json", False),
        ("/tmp/m.json", False),
        ("C:\\maps\\m.json", False),
    ],
)
def test_is_url(value: str, expected: bool) -> None:
    assert is_url(value) is expected


def test_fetch_url_over_http_and_file(http_server: Server, tmp_path: Path) -> None:
    http_server.routes["/m.json"] = (200, b"{}")
    assert fetch_url(http_server.url("/m.json")) == b"{}"
    local = tmp_path / "m.json"
    local.write_bytes(b"[]")
    assert fetch_url(local.as_uri()) == b"[]"


@pytest.mark.parametrize("path", ["/missing.json", "/error.json"])
def test_fetch_url_failures_are_backend_errors(http_server: Server, path: str) -> None:
    http_server.routes["/error.json"] = (500, b"boom")
    with pytest.raises(BackendError, match=r"could not fetch http://127\.0\.0\.1:\d+/"):
        fetch_url(http_server.url(path))


def test_fetch_url_gives_up_after_the_timeout(http_server: Server) -> None:
    http_server.routes["/slow.json"] = (200, b"{}")
    http_server.delay = 2.0
    started = time.monotonic()
    with pytest.raises(BackendError, match="could not fetch"):
        fetch_url(http_server.url("/slow.json"), timeout=0.2)
    assert time.monotonic() - started < 1.5


def test_fetch_url_rejects_other_schemes_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="only http, https and file"):
        fetch_url("ftp://example.org/m.json")
    with pytest.raises(BackendError, match="could not fetch file://"):
        fetch_url((tmp_path / "absent.json").as_uri())
