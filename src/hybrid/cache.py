"""The user cache directory (repodata, mappings, package archives); `HYBRID_CACHE_DIR`
overrides it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import platformdirs

from hybrid.errors import UsageError
from hybrid.spec.location import printable

CACHE_ENV = "HYBRID_CACHE_DIR"


def cache_dir() -> Path:
    """$HYBRID_CACHE_DIR (`~` expanded; blank means unset), else the user cache directory;
    created when missing. One that cannot be created or written to is a `UsageError` naming
    it, before any command writes there."""
    override = os.environ.get(CACHE_ENV, "").strip()
    path = Path(override).expanduser() if override else Path(platformdirs.user_cache_dir("hybrid"))
    _check_writable(path, f" (set by {CACHE_ENV})" if override else "")
    return path


def _check_writable(path: Path, origin: str) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(
            f"the cache directory {printable(str(path))}{origin} is not writable: {reason}",
            hint=f"set {CACHE_ENV} to a directory you can write to",
        ) from None
