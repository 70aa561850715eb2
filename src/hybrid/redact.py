"""Secrets never leave: the one place that knows what a secret in a URL looks like.

Three forms carry credentials in the URLs hybrid reads (conda channels, `--mirror`
locations, pip index URLs, direct references):

* the user-info of the authority, ``https://user:password@host/`` or ``https://token@host/``
  (a bare login for ssh, ``git+ssh://git@host/``, names no secret and stays);
* an anaconda.org-style token path segment, ``https://host/t/<token>/channel`` (conda and
  rattler put channel tokens there; not in ``file://`` URLs, which name local paths);
* a query parameter named like a secret, ``?token=…``, ``&X-Amz-Signature=…``.

`redact` removes all three from every URL in a text, so its answer is both safe to show and
the public URL of the same resource: the URL the outputs record (conda-lock's
`--strip-auth` drops the same parts). The readers that need the credentials (rattler, uv,
pip) get them from the unredacted input or from their own credential stores, never from an
output. Every layer imports this module: it imports nothing of hybrid.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["RedactingFilter", "redact", "redact_data", "without_userinfo"]

# A character that ends a URL in running text (quotes, angle brackets, whitespace).
_END = r"\s'\"<>`"
# A scheme (`https`, `git+ssh`, `s3`), bounded in length: every position of a long run of
# scheme characters would otherwise start a scan to its end (quadratic time).
_SCHEME = r"\b[A-Za-z][A-Za-z0-9+.-]{0,39}://"
# `scheme://userinfo@`: the user-info runs to the last `@` before the path, so an
# unencoded `@` in a password (`https://me:p@ss@host/`) goes with the rest of it; a quote
# `'` may be part of it (RFC 3986 allows it), so text is cut too much rather than too little.
_USERINFO = re.compile(r"(?P<scheme>" + _SCHEME + r")(?P<userinfo>[^/?#\s\"<>`]*)@")
# A URL in running text, up to its end or the start of the next URL.
_URL = re.compile(rf"(?P<scheme>{_SCHEME})(?P<rest>[^{_END}]*?)(?=[{_END}]|{_SCHEME}|$)")
# `/t/<token>` as a whole path segment (conda's and rattler's token form).
# (Brackets and separators end it, so a URL in parentheses keeps its closing one.)
_TOKEN_SEGMENT = re.compile(r"/t/[^/?#()\[\]{},;]+")
# Query parameter names that carry a secret (compared lower-cased).
_SECRET_PARAM = re.compile(
    r"(?:.*(?:token|secret|passw(?:or)?d|signature|credential|api[-_]?key|private[-_]?key))"
    r"|auth|key|sig|pass|pwd",
)


def _keeps_login(scheme: str, userinfo: str) -> bool:
    """`git+ssh://git@host/`: a login name without a password, for ssh, is no secret (and
    dropping it breaks the URL)."""
    return scheme.lower().rstrip(":/").endswith("ssh") and ":" not in userinfo


def _drop_userinfo(match: re.Match[str]) -> str:
    if _keeps_login(match["scheme"], match["userinfo"]):
        return match[0]
    return match["scheme"]


def without_userinfo(text: str) -> str:
    """`text` without the ``user:password@`` part of any URL in it; nothing else changes.

    This is for a client that sends the credentials itself (an ``Authorization`` header) and
    still needs the URL's path; anything shown or written takes `redact`.

    >>> without_userinfo("https://me:s3cret@pypi.example.org/t/tok/simple")
    'https://pypi.example.org/t/tok/simple'
    """
    return _USERINFO.sub(_drop_userinfo, text)


def _without_secret_params(query: str) -> str:
    kept = [
        part
        for part in re.split(r"[&;]", query)
        if part and not _SECRET_PARAM.fullmatch(part.partition("=")[0].strip().lower())
    ]
    return "&".join(kept)


def _clean_url(match: re.Match[str]) -> str:
    scheme, rest = match["scheme"], match["rest"]
    ends = [found for found in (rest.find(mark) for mark in "/?#") if found >= 0]
    split = min(ends, default=len(rest))
    authority, tail = rest[:split], rest[split:]
    head, hash_sign, fragment = tail.partition("#")
    path, question, query = head.partition("?")
    if scheme.lower() != "file://":
        path = _TOKEN_SEGMENT.sub("", path)
    if question:
        query = _without_secret_params(query)
        question = "?" if query else ""
    return f"{scheme}{authority}{path}{question}{query}{hash_sign}{fragment}"


def redact(text: str) -> str:
    """`text` (a URL, a message, a log line) with every credential of every URL removed:
    ``user:password@``, ``/t/<token>`` path segments and secret query parameters.

    Idempotent, and the identity on text without such secrets.

    >>> redact("cannot read https://alice:pw@host/t/tk-1/conda-forge?token=x&a=1: 401")
    'cannot read https://host/conda-forge?a=1: 401'
    """
    if "://" not in text or not any(mark in text for mark in ("@", "/t/", "?")):
        return text  # the common case, and a fast one: no URL, or none that can hold a secret
    return _URL.sub(_clean_url, without_userinfo(text))


def redact_data(value: Any) -> Any:
    """`value` (a JSON document: dicts, lists, strings…) with every string `redact`ed."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {redact_data(key): redact_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_data(item) for item in value)
    return value


class RedactingFilter(logging.Filter):
    """A handler filter: each record's message (arguments merged) and exception text are
    `redact`ed before any formatter sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit: the handler reports it
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
