"""The user cache directory (repodata, mappings); `HYBRID_CACHE_DIR` overrides it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_dir() -> Path:
    override = os.environ.get("HYBRID_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("hybrid"))
