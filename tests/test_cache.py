"""Where hybrid's cache lives: $HYBRID_CACHE_DIR, else the user cache directory."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from hybrid.cache import CACHE_ENV, cache_dir
from hybrid.errors import UsageError


def test_the_environment_overrides_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env"))
    assert cache_dir() == tmp_path / "env"
    monkeypatch.delenv(CACHE_ENV)
    assert cache_dir() == Path(platformdirs.user_cache_dir("hybrid"))


def test_a_blank_value_is_unset_and_a_tilde_is_the_home_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, "  ")
    assert cache_dir() == Path(platformdirs.user_cache_dir("hybrid"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setenv(CACHE_ENV, " ~/hybrid-cache ")
    assert cache_dir() == tmp_path / "hybrid-cache"


def test_a_cache_directory_that_cannot_be_made_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file where the directory should be (or no permission): a usage error naming it and
    the variable, before anything is written there (it was an internal error in rattler)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    with pytest.raises(
        UsageError, match=r"cache directory .*a-file/cache \(set by HYBRID_CACHE_DIR\)"
    ):
        cache_dir()


def test_the_cache_directory_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "new" / "cache"))
    assert cache_dir().is_dir()
