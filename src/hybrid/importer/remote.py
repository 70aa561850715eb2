"""Remote requirement includes (`-r https://host/requirements.txt`): fetched once, small, fast.

The only network access of `hybrid import`. A fetch that fails is reported, never raised
past `fetch_text`'s caller: an import goes on without the remote lines.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from urllib.parse import unquote, urlsplit, urlunsplit

from hybrid.envfiles.text import decode
from hybrid.errors import FetchError

#: Seconds to wait for the server, per connection attempt and per read.
TIMEOUT = 5.0
#: Bytes read at most: a requirements file is a few kilobytes.
SIZE_LIMIT = 1024 * 1024
_REMOTE = ("http", "https")


def is_remote(reference: str) -> bool:
    """`http://…` / `https://…`: what pip fetches for `-r`."""
    return urlsplit(reference.strip()).scheme.lower() in _REMOTE


def fetch_text(url: str, *, timeout: float = TIMEOUT, limit: int = SIZE_LIMIT) -> str:
    """The text at `url`; `FetchError` for anything but a small UTF-8 text file.

    `user:password@` in the URL is sent as HTTP basic authentication to that host only
    (never forwarded on a redirect).
    """
    try:
        request = _request(url)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(str(exc.reason)) from None
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed URLs
        raise FetchError(str(exc) or type(exc).__name__) from None
    if len(raw) > limit:
        raise FetchError(f"larger than {limit // 1024} KiB; not a requirements file")
    text, why = decode(raw)
    if text is None:
        raise FetchError(why or "not text")
    return text


def _request(url: str) -> urllib.request.Request:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in _REMOTE or not parts.hostname:
        raise FetchError("not an http(s) URL")
    netloc = parts.netloc.rpartition("@")[2]
    request = urllib.request.Request(urlunsplit(parts._replace(netloc=netloc, fragment="")))
    if parts.username is not None:
        secret = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        token = base64.b64encode(secret.encode()).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {token}")
    return request
