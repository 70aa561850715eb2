"""The user cache directory (repodata, mappings, package archives); `HYBRID_CACHE_DIR`
overrides it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

CACHE_ENV = "HYBRID_CACHE_DIR"


def cache_dir() -> Path:
    """$HYBRID_CACHE_DIR (`~` expanded; blank means unset), else the user cache directory."""
    override = os.environ.get(CACHE_ENV, "").strip()
    return Path(override).expanduser() if override else Path(platformdirs.user_cache_dir("hybrid"))
