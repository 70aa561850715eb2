"""What uv says when `--offline` meets an empty cache, restated as what is missing.

uv 0.13.9 with `--offline` and an empty cache says "Because six was not found in the cache
and you require six, …" and hints that "the network was disabled"; a file it could not read
is "Network connectivity is disabled, but the requested data wasn't found in the cache for:
`<url>`". That is no unsatisfiable spec: the cache lacks something (exit 5, as the conda
layer's offline misses are).
"""

from __future__ import annotations

import re

from hybrid.errors import BackendError
from hybrid.pypi.model import PipTarget
from hybrid.redact import redact

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_MISSING_NAME = re.compile(rf"(?P<name>{_NAME})(?:[=<>!~]=?[^\s,]+)? was not found in the cache")
_MISSING_URL = re.compile(r"wasn't found in the cache for: `(?P<url>[^`]+)`")
_DISABLED = ("network was disabled", "Network connectivity is disabled")


def cache_miss(text: str, *, target: PipTarget) -> BackendError | None:
    """The error for an offline resolution the cache could not serve; None for any other
    failure. ``text`` is uv's message."""
    names = sorted({m["name"] for m in _MISSING_NAME.finditer(text)})
    urls = sorted({redact(m["url"]) for m in _MISSING_URL.finditer(text)})
    if not names and not urls and not any(phrase in text for phrase in _DISABLED):
        return None
    missing = ", ".join([*names, *urls]) or "the pages it needs (see below)"
    return BackendError(
        f"offline: uv's cache lacks what the pip layer for {target.platform} needs: {missing}",
        hint="solve once without --offline (or point UV_CACHE_DIR at a cache that has it); "
        "uv said:\n" + text[-2000:],
    )
