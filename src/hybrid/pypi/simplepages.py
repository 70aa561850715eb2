"""The files a package index page lists: PEP 691 JSON or PEP 503 HTML (also a remote
`find-links` page, which is HTML). Only files with a sha256 can be locked; others are left
out. URLs are absolute, without fragment; they may still carry the page's credentials."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
# What pip and uv ask for: JSON where the index has it, its HTML otherwise.
ACCEPT = f"{SIMPLE_JSON}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"

Listed = tuple[str, str, str]  # file name, absolute URL, sha256


def page_files(body: bytes, content_type: str, page: str) -> list[Listed]:
    """The files of a project page at ``page``; ValueError for a page that is neither."""
    if content_type.endswith("json"):
        return [(f["filename"], _absolute(page, f["url"]), f["hashes"]["sha256"])
                for f in json.loads(body)["files"] if "sha256" in f.get("hashes", {})]
    if "html" in content_type:
        return _html_files(body.decode("utf-8", errors="replace"), page)
    raise ValueError(f"answered {content_type}, neither PEP 691 JSON nor PEP 503 HTML")


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.base: str | None = None
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if href and tag == "a":
            self.hrefs.append(href)
        elif href and tag == "base" and self.base is None:
            self.base = href


def _html_files(text: str, page: str) -> list[Listed]:
    parser = _Anchors()
    parser.feed(text)
    base = urljoin(page, parser.base) if parser.base else page
    files = []
    for href in parser.hrefs:
        url, fragment = urldefrag(urljoin(base, href))
        algorithm, _, digest = fragment.partition("=")
        if algorithm == "sha256" and digest:
            files.append((unquote(urlsplit(url).path.rsplit("/", 1)[-1]), url, digest))
    return files


def _absolute(page: str, url: str) -> str:
    return urldefrag(urljoin(page, url)).url
