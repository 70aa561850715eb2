"""Bare URLs and paths on pip lines (`-e git+https://…#egg=x`, a wheel URL) -> `name @ url`."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)

from hybrid.envfiles.text import quoted

_VCS = re.compile(r"^(git|hg|svn|bzr)\+", re.I)
_REMOTE = ("http", "https")


class UnnamedReference(ValueError):
    """A URL or path that cannot become a portable `name @ url` requirement; says why."""


def url_requirement(text: str) -> Requirement:
    """`git+https://host/repo.git@v1#egg=name` -> `name @ git+https://host/repo.git@v1`.

    Local paths and `file:` URLs are machine-specific and raise `UnnamedReference`, as do
    URLs whose distribution name cannot be told.
    """
    url = text.strip()
    try:
        return _url_requirement(url)
    except UnnamedReference:
        raise
    except ValueError as exc:  # urlsplit: "Invalid IPv6 URL", bad ports
        raise UnnamedReference(f"{quoted(url)!r} is not a usable URL: {exc}") from None


def _url_requirement(url: str) -> Requirement:
    scheme = urlsplit(_VCS.sub("", url)).scheme.lower() if "://" in url else ""
    if scheme not in _REMOTE and not (_VCS.match(url) and scheme):
        raise UnnamedReference(
            "a local path is not carried over: it exists only on the machine that wrote the "
            "file; publish it (a git URL, an index) and add `name @ URL` to `pip:`"
        )
    parts = urlsplit(url)
    fragment = parse_qsl(parts.fragment, keep_blank_values=True)
    egg = next((value for key, value in fragment if key == "egg"), None)
    kept = [(key, value) for key, value in fragment if key != "egg"]
    bare = urlunsplit(parts._replace(fragment=urlencode(kept, safe="/:")))
    name = egg or _file_name(parts.path)
    if not name:
        raise UnnamedReference(
            f"cannot tell the distribution name of {quoted(url)!r}: write it as "
            "`NAME @ URL` (or add `#egg=NAME`)"
        )
    try:
        return Requirement(f"{name} @ {bare}")
    except InvalidRequirement as exc:
        raise UnnamedReference(f"{quoted(url)!r} is not a usable reference: {exc}") from None


def _file_name(path: str) -> str | None:
    """The distribution name in a wheel or sdist file name at the end of `path`."""
    filename = unquote(path.rsplit("/", 1)[-1])
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None
