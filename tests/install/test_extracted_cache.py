"""The extracted-package cache is not trusted: a file changed in it after one install is not
linked into the next prefix; rattler extracts the package again from the verified archive."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hybrid.install.conda_layer import install_conda_layer
from hybrid.readback.explicit import parse_explicit
from tests.install.conftest import PY_SHORT, posix_only
from tests.install.test_conda_layer import CANONICAL, _explicit

pytestmark = posix_only
NAMES = ["python", "hybrid-test-conda-hello"]
MODULE = Path("site-packages", "hybrid_test_conda_hello", "__init__.py")
ORIGINAL = 'WHO = "conda"\n'
TAMPERED = 'WHO = "cOnda"\n'  # the same size: only a hash check tells them apart


def _install(channel: Path, prefix: Path, cache: Path, tmp_path: Path) -> Path:
    """Install NAMES into `prefix`; the installed module's path."""
    explicit = parse_explicit(_explicit(channel, NAMES, tmp_path), path=tmp_path / "conda.lock")
    install_conda_layer(explicit, prefix, mirrors={CANONICAL: channel.as_uri()}, cache=cache)
    return prefix / "lib" / f"python{PY_SHORT}" / MODULE


def _cached(cache: Path) -> Path:
    return next((cache / "extracted").glob("hybrid-test-conda-hello-*/")) / MODULE


def test_a_file_changed_in_the_cache_is_extracted_again(
    interpreter_channel: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _install(interpreter_channel, tmp_path / "first", cache, tmp_path)
    cached = _cached(cache)
    assert cached.read_text() == ORIGINAL
    cached.write_text(TAMPERED)
    installed = _install(interpreter_channel, tmp_path / "second", cache, tmp_path)
    assert installed.read_text() == ORIGINAL
    assert cached.read_text() == ORIGINAL


def test_a_file_edited_through_a_hard_link_in_an_environment(
    interpreter_channel: Path, tmp_path: Path
) -> None:
    """Editing an installed file in place edits the cache too when it is a hard link."""
    cache = tmp_path / "cache"
    first = _install(interpreter_channel, tmp_path / "first", cache, tmp_path)
    if not os.path.samefile(first, _cached(cache)):
        pytest.skip("rattler copied the file instead of hard-linking it (another filesystem)")
    with first.open("r+", encoding="utf-8") as handle:
        handle.write(TAMPERED)
    assert _cached(cache).read_text() == TAMPERED
    second = _install(interpreter_channel, tmp_path / "second", cache, tmp_path)
    assert second.read_text() == ORIGINAL


def test_a_file_removed_from_the_cache_is_extracted_again(
    interpreter_channel: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _install(interpreter_channel, tmp_path / "first", cache, tmp_path)
    _cached(cache).unlink()
    installed = _install(interpreter_channel, tmp_path / "second", cache, tmp_path)
    assert installed.read_text() == ORIGINAL
