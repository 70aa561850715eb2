"""Loading a mapping: published (cached, expired, offline, failing), overridden, built-in."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hybrid.cache import CACHE_ENV
from hybrid.errors import BackendError, UsageError
from hybrid.mapping import (
    CondaPypiMapping,
    cache_file,
    load_mapping,
    parselmouth_url,
)
from hybrid.mapping import load as load_module

if TYPE_CHECKING:
    from tests.mapping.conftest import Server

OLD = {"pytorch": ["torch"], "old-only": ["old-only"]}
NEW = {"pytorch": ["torch"], "new-only": ["new-only"]}
TWO_DAYS = 2 * 24 * 3600


def document(entries: Mapping[str, list[str] | None]) -> bytes:
    return json.dumps(entries).encode()


def seed_cache(url: str, cache_dir: Path, data: bytes, *, age_seconds: float = 0) -> Path:
    path = cache_file(url, cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))
    return path


def knows(mapping: CondaPypiMapping, conda_name: str) -> bool:
    return conda_name in mapping.table


# -- the real snapshot ---------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshot_mapping(shared_mapping: Path) -> CondaPypiMapping:
    return load_mapping("conda-forge", override=str(shared_mapping))


@pytest.mark.parametrize(
    ("conda_name", "depends_on_python", "expected"),
    [
        ("pytorch", True, ("torch",)),
        ("py-opencv", True, ("opencv-python", "opencv-python-headless")),
        ("matplotlib-base", True, ("matplotlib",)),
        ("ruamel.yaml", True, ("ruamel-yaml",)),
        ("libgcc", False, ()),
        ("python", False, ()),
        ("python_abi", False, ()),
        ("pip", True, ("pip",)),
        ("torchtriton", True, ("triton",)),  # not in conda-forge: the built-in table fills it
    ],
)
def test_the_real_snapshot_as_an_override_file(
    shared_mapping: Path,
    snapshot_mapping: CondaPypiMapping,
    conda_name: str,
    depends_on_python: bool,
    expected: tuple[str, ...],
) -> None:
    mapping = snapshot_mapping
    assert mapping.source == str(shared_mapping)
    assert mapping.fallback is False
    assert mapping.note is None
    assert mapping.pypi_names(conda_name, depends_on_python=depends_on_python) == expected


def test_reverse_lookup_on_the_real_snapshot(snapshot_mapping: CondaPypiMapping) -> None:
    mapping = snapshot_mapping
    assert mapping.conda_names_for("torch")[0] == "pytorch"
    assert mapping.conda_names_for("opencv-python")[0] == "py-opencv"
    assert mapping.conda_names_for("matplotlib")[:2] == ("matplotlib", "matplotlib-base")


def test_a_fresh_cached_published_mapping_is_used_without_fetching(
    shared_mapping: Path, tmp_path: Path
) -> None:
    url = parselmouth_url("conda-forge")
    assert url is not None
    seed_cache(url, tmp_path, shared_mapping.read_bytes())
    mapping = load_mapping("https://conda.anaconda.org/conda-forge/", cache_dir=tmp_path)
    assert (mapping.source, mapping.fallback, mapping.note) == (url, False, None)
    assert mapping.pypi_names("pytorch", depends_on_python=True) == ("torch",)


# -- the default source and its fallback -------------------------------------------


def test_offline_with_an_empty_cache_falls_back_to_the_builtin_table(tmp_path: Path) -> None:
    mapping = load_mapping("conda-forge", offline=True, cache_dir=tmp_path)
    assert mapping.fallback is True
    assert mapping.source == "built-in"
    assert mapping.note is not None and "offline" in mapping.note
    assert mapping.pypi_names("pytorch", depends_on_python=True) == ("torch",)
    assert mapping.pypi_names("requests", depends_on_python=True) == ("requests",)
    assert not (tmp_path / "mapping").exists()


def test_offline_uses_an_expired_cache(tmp_path: Path) -> None:
    url = parselmouth_url("conda-forge")
    assert url is not None
    seed_cache(url, tmp_path, document(OLD), age_seconds=TWO_DAYS)
    mapping = load_mapping("conda-forge", offline=True, cache_dir=tmp_path)
    assert (mapping.source, mapping.fallback) == (url, False)
    assert mapping.note is not None and "offline" in mapping.note
    assert knows(mapping, "old-only")


@pytest.fixture
def local_parselmouth(http_server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """Point the published-mapping URL at the local server (the real one is not reachable)."""
    monkeypatch.setattr(load_module, "PARSELMOUTH_URL", http_server.url("/{channel}.json"))
    return http_server


def test_the_published_mapping_is_fetched_and_cached(
    local_parselmouth: Server, tmp_path: Path
) -> None:
    local_parselmouth.routes["/conda-forge.json"] = (200, document(NEW))
    mapping = load_mapping("conda-forge", cache_dir=tmp_path)
    url = local_parselmouth.url("/conda-forge.json")
    assert (mapping.source, mapping.fallback, mapping.note) == (url, False, None)
    assert knows(mapping, "new-only")
    assert cache_file(url, tmp_path).read_bytes() == document(NEW)


def test_a_failed_fetch_without_cache_falls_back_with_a_warning(
    local_parselmouth: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hybrid.mapping"):
        mapping = load_mapping("conda-forge", cache_dir=tmp_path)
    assert (mapping.source, mapping.fallback) == ("built-in", True)
    assert mapping.note is not None and "HTTP 404" in mapping.note
    assert "built-in" in caplog.text


def test_a_malformed_published_mapping_falls_back(
    local_parselmouth: Server, tmp_path: Path
) -> None:
    local_parselmouth.routes["/conda-forge.json"] = (200, b"<html>oops</html>")
    mapping = load_mapping("conda-forge", cache_dir=tmp_path)
    assert mapping.fallback is True
    assert mapping.note is not None and "malformed" in mapping.note
    assert not (tmp_path / "mapping").exists()


def test_a_channel_without_a_published_mapping_uses_the_builtin_table(tmp_path: Path) -> None:
    for channel in ("nvidia", "https://conda.anaconda.org/nvidia", "file:///srv/channels/local"):
        mapping = load_mapping(channel, cache_dir=tmp_path)
        assert (mapping.source, mapping.fallback) == ("built-in", False)
        assert mapping.note is not None and "no published" in mapping.note
    assert not (tmp_path / "mapping").exists()


# -- cache expiry, with an override URL on a local server ---------------------------


def test_a_fresh_cache_is_not_refetched(http_server: Server, tmp_path: Path) -> None:
    url = http_server.url("/m.json")
    http_server.routes["/m.json"] = (200, document(OLD))
    first = load_mapping("conda-forge", override=url, cache_dir=tmp_path)
    http_server.routes["/m.json"] = (200, document(NEW))
    second = load_mapping("conda-forge", override=url, cache_dir=tmp_path)
    assert http_server.hits == ["/m.json"]
    assert knows(first, "old-only") and knows(second, "old-only")
    assert second.note is None


def test_an_expired_cache_is_refreshed(http_server: Server, tmp_path: Path) -> None:
    url = http_server.url("/m.json")
    path = seed_cache(url, tmp_path, document(OLD), age_seconds=TWO_DAYS)
    http_server.routes["/m.json"] = (200, document(NEW))
    mapping = load_mapping("conda-forge", override=url, cache_dir=tmp_path)
    assert knows(mapping, "new-only") and not knows(mapping, "old-only")
    assert mapping.note is None
    assert path.read_bytes() == document(NEW)
    assert time.time() - path.stat().st_mtime < 60


def test_max_age_decides_what_is_expired(http_server: Server, tmp_path: Path) -> None:
    url = http_server.url("/m.json")
    seed_cache(url, tmp_path, document(OLD), age_seconds=3600)
    http_server.routes["/m.json"] = (200, document(NEW))
    kept = load_mapping("x", override=url, cache_dir=tmp_path, max_age=timedelta(hours=2))
    assert knows(kept, "old-only") and http_server.hits == []
    fresh = load_mapping("x", override=url, cache_dir=tmp_path, max_age=timedelta(minutes=30))
    assert knows(fresh, "new-only") and http_server.hits == ["/m.json"]


@pytest.mark.parametrize("route", [(404, b"gone"), (200, b"{not json")])
def test_an_expired_cache_is_used_when_the_fetch_fails(
    http_server: Server,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    route: tuple[int, bytes],
) -> None:
    url = http_server.url("/m.json")
    path = seed_cache(url, tmp_path, document(OLD), age_seconds=TWO_DAYS)
    http_server.routes["/m.json"] = route
    with caplog.at_level(logging.WARNING, logger="hybrid.mapping"):
        mapping = load_mapping("conda-forge", override=url, cache_dir=tmp_path)
    assert knows(mapping, "old-only")
    assert (mapping.source, mapping.fallback) == (url, False)
    assert mapping.note is not None and "expired cached copy" in mapping.note
    assert "expired cached copy" in caplog.text
    assert path.read_bytes() == document(OLD)
    assert time.time() - path.stat().st_mtime > TWO_DAYS - 60


def test_a_corrupt_cache_file_is_ignored_and_replaced(http_server: Server, tmp_path: Path) -> None:
    url = http_server.url("/m.json")
    path = seed_cache(url, tmp_path, b"\x00garbage")
    http_server.routes["/m.json"] = (200, document(NEW))
    assert knows(load_mapping("x", override=url, cache_dir=tmp_path), "new-only")
    assert path.read_bytes() == document(NEW)


def test_the_cache_dir_comes_from_the_environment(
    http_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env-cache"))
    url = http_server.url("/m.json")
    http_server.routes["/m.json"] = (200, document(NEW))
    load_mapping("conda-forge", override=url)
    assert cache_file(url).parent == tmp_path / "env-cache" / "mapping"
    assert cache_file(url).read_bytes() == document(NEW)


# -- override errors -----------------------------------------------------------------


def test_an_unreachable_override_url_is_an_error(http_server: Server, tmp_path: Path) -> None:
    url = http_server.url("/absent.json")
    with pytest.raises(BackendError, match="HTTP 404") as caught:
        load_mapping("conda-forge", override=url, cache_dir=tmp_path)
    assert url in str(caught.value)


def test_a_malformed_override_url_is_an_error_and_is_not_cached(
    http_server: Server, tmp_path: Path
) -> None:
    url = http_server.url("/bad.json")
    http_server.routes["/bad.json"] = (200, b'{"pytorch": "torch"}')
    with pytest.raises(BackendError, match="malformed") as caught:
        load_mapping("conda-forge", override=url, cache_dir=tmp_path)
    assert url in str(caught.value)
    assert not cache_file(url, tmp_path).exists()


def test_an_uncached_override_url_offline_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="offline"):
        load_mapping("x", override="https://example.org/m.json", offline=True, cache_dir=tmp_path)


def test_a_file_url_override_is_fetched_and_cached(tmp_path: Path) -> None:
    source = tmp_path / "m.json"
    source.write_bytes(document(NEW))
    mapping = load_mapping("x", override=source.as_uri(), cache_dir=tmp_path / "cache")
    assert knows(mapping, "new-only") and mapping.source == source.as_uri()
    assert cache_file(source.as_uri(), tmp_path / "cache").is_file()


def test_a_missing_override_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_mapping("conda-forge", override=str(tmp_path / "absent.json"))
    with pytest.raises(UsageError, match="cannot read"):
        load_mapping("conda-forge", override=str(tmp_path))
    with pytest.raises(UsageError, match="unsupported"):
        load_mapping("conda-forge", override="ftp://example.org/m.json")


def test_a_malformed_override_file_is_a_backend_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text('{"pytorch": ["torch", 3]}')
    with pytest.raises(BackendError, match=r'entry "pytorch"\[1\]') as caught:
        load_mapping("conda-forge", override=str(path))
    assert str(path) in str(caught.value)


def test_parselmouth_url_only_for_published_channels() -> None:
    assert parselmouth_url("https://conda.anaconda.org/conda-forge") == (
        "https://raw.githubusercontent.com/prefix-dev/parselmouth/main/files/v0/"
        "conda-forge/compressed_mapping.json"
    )
    assert parselmouth_url("nvidia") is None
