"""HTTP GETs of index pages and wheel metadata, shared by every reader in the pip layer.

One TLS context serves every request: `urlopen` without one loads the CA store each time
(57 ms of CPU per request, measured; most of the cost of reading 250 small files).
"""

from __future__ import annotations

import functools
import ssl
import urllib.request
from collections.abc import Callable

Fetch = Callable[[urllib.request.Request, float], tuple[bytes, str]]
"""Request, timeout -> body, content type; readers take one so tests can count requests."""


@functools.cache
def tls() -> ssl.SSLContext:
    """The one TLS context (thread-safe to share)."""
    return ssl.create_default_context()


def fetch(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
    """The body and content type of a GET."""
    with urllib.request.urlopen(request, timeout=timeout, context=tls()) as response:
        return response.read(), response.headers.get_content_type()
