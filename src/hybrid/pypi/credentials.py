"""Keep secrets out of everything hybrid returns, logs or writes.

Index and direct-reference URLs may carry credentials (``https://user:token@host/simple``).
The resolver needs them; nothing downstream does, so every URL and every piece of resolver
output that leaves this package goes through these helpers.
"""

from __future__ import annotations

import re

_AUTHORITY_USERINFO = re.compile(
    r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#\s]*)@",
)


def _redact(match: re.Match[str]) -> str:
    scheme = match["scheme"]
    userinfo = match["userinfo"]
    # `git+ssh://git@host/...`: a bare login name for ssh is not a secret, and dropping it
    # breaks the URL. Anything with a password, or any user on another scheme, goes.
    if scheme.lower().rstrip(":/").endswith("ssh") and ":" not in userinfo:
        return match[0]
    return scheme


def strip_credentials(url: str) -> str:
    """``url`` without the ``user:password@`` part of its authority; unchanged otherwise.

    >>> strip_credentials("https://me:s3cret@pypi.example.org/simple")
    'https://pypi.example.org/simple'
    """
    return _AUTHORITY_USERINFO.sub(_redact, url, count=1)


def redact_text(text: str) -> str:
    """``text`` (resolver output, an error message) with credentials stripped from every URL."""
    return _AUTHORITY_USERINFO.sub(_redact, text)
