"""Archives are verified against the lock before anything is linked, for file:// and http."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hybrid.conda.explicit import ExplicitEntry
from hybrid.errors import ChannelError, IntegrityError
from hybrid.install.fetch import digests, fetch_packages, location_url
from tests.install.conftest import serve_directory


def _archive(directory: Path, name: str = "pkg-1.0-0.tar.bz2", data: bytes = b"x") -> Path:
    target = directory / "noarch" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def test_location_url_applies_the_mirror() -> None:
    mirrors = {"https://conda.anaconda.org/conda-forge": "file:///srv/mirror/cf"}
    url = "https://conda.anaconda.org/conda-forge/noarch/a-1-0.conda"
    assert location_url(url, mirrors) == "file:///srv/mirror/cf/noarch/a-1-0.conda"
    other = "https://conda.anaconda.org/conda-forge-nightly/noarch/a-1-0.conda"
    assert location_url(other, mirrors) == other


def test_file_urls_are_read_in_place_and_checked(tmp_path: Path) -> None:
    path = _archive(tmp_path, data=b"payload")
    md5 = hashlib.md5(b"payload").hexdigest()
    entry = ExplicitEntry(url=path.as_uri(), md5=md5)
    [fetched] = fetch_packages([entry], mirrors={}, archive_dir=tmp_path / "cache")
    assert fetched.path == path
    assert (fetched.md5, fetched.sha256) == digests(path)
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("kind", ["md5", "sha256"])
def test_a_mismatch_names_both_hashes(tmp_path: Path, kind: str) -> None:
    path = _archive(tmp_path)
    entry = ExplicitEntry(url=path.as_uri(), **{kind: "0" * (32 if kind == "md5" else 64)})
    with pytest.raises(IntegrityError) as info:
        fetch_packages([entry], mirrors={}, archive_dir=tmp_path / "cache")
    message = str(info.value)
    assert f"locked: {kind}:0000" in message and f"actual: {kind}:" in message
    assert info.value.exit_code == 5


def test_http_downloads_are_verified_then_reused(tmp_path: Path) -> None:
    channel = tmp_path / "channel"
    _archive(channel, data=b"remote bytes")
    sha = hashlib.sha256(b"remote bytes").hexdigest()
    canonical = "https://conda.example.org/lab"
    entry = ExplicitEntry(url=f"{canonical}/noarch/pkg-1.0-0.tar.bz2", sha256=sha)
    cache = tmp_path / "cache"
    with serve_directory(channel) as url:
        [fetched] = fetch_packages([entry], mirrors={canonical: url}, archive_dir=cache)
    assert fetched.path == cache / "pkg-1.0-0.tar.bz2"
    assert fetched.path.read_bytes() == b"remote bytes"
    # the server is gone: the verified copy in the cache is enough
    [again] = fetch_packages([entry], mirrors={canonical: "http://127.0.0.1:9"},
                             archive_dir=cache)
    assert again.path == fetched.path


def test_a_bad_download_is_not_kept(tmp_path: Path) -> None:
    channel = tmp_path / "channel"
    _archive(channel, data=b"tampered")
    entry = ExplicitEntry(url="https://conda.example.org/lab/noarch/pkg-1.0-0.tar.bz2",
                          md5="0" * 32)
    cache = tmp_path / "cache"
    with serve_directory(channel) as url, pytest.raises(IntegrityError):
        fetch_packages([entry], mirrors={"https://conda.example.org/lab": url},
                       archive_dir=cache)
    assert list(cache.iterdir()) == []


def test_an_unreachable_channel_is_a_channel_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hybrid.install.fetch.RETRIES", 0)
    entry = ExplicitEntry(url="https://conda.example.org/lab/noarch/pkg-1.0-0.tar.bz2",
                          md5="0" * 32)
    mirrors = {"https://conda.example.org/lab": "http://127.0.0.1:9"}
    with pytest.raises(ChannelError, match="cannot download") as info:
        fetch_packages([entry], mirrors=mirrors, archive_dir=tmp_path / "cache")
    assert "--mirror" in str(info.value) and info.value.exit_code == 5
    assert list((tmp_path / "cache").iterdir()) == []
