"""The cache: where it lives, atomic writes, fetching over HTTP and file://."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
import pytest

from hybrid.errors import BackendError
from hybrid.mapping.fetch import (
    CACHE_ENV,
    cache_file,
    cache_root,
    fetch_url,
    is_url,
    write_atomic,
)

if TYPE_CHECKING:
    from conftest import Server


def test_cache_root_prefers_the_argument_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env"))
    assert cache_root(tmp_path / "arg") == tmp_path / "arg"
    assert cache_root() == tmp_path / "env"
    monkeypatch.delenv(CACHE_ENV)
    assert cache_root() == Path(platformdirs.user_cache_dir("hybrid"))


def test_cache_file_is_per_url_under_mapping(tmp_path: Path) -> None:
    one = cache_file("https://example.org/a.json", tmp_path)
    assert one == cache_file("https://example.org/a.json", tmp_path)
    assert one != cache_file("https://example.org/b.json", tmp_path)
    assert one.parent == tmp_path / "mapping"


def test_write_atomic_replaces_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "file.json"
    write_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]


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
