"""conda's explicit format: an `@EXPLICIT` line, then one package URL a line, each optionally
followed by `#<md5 hex>` or `#sha256:<hex>`.

The one reading of a package line, for `readback/` (hybrid's own `conda-<platform>.lock`,
where a hash is required) and `envfiles/` (users' `conda list --explicit` files, for
`import` and `lint`). Each reports an `ExplicitLineError` its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from hybrid.spec.channels import short_channel
from hybrid.spec.location import printable

EXPLICIT_MARKER = "@EXPLICIT"
ARCHIVE_SUFFIXES = (".conda", ".tar.bz2")
_MD5 = re.compile(r"[0-9a-f]{32}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUBDIR = re.compile(r"noarch|[a-z]+-[a-z0-9_]+")
_ARCHIVE_URL = (
    "is not the URL of a conda package archive "
    "(<channel>/<subdir>/<name>-<version>-<build>.conda or .tar.bz2)"
)


class ExplicitLineError(ValueError):
    """A line that is not a package URL with an optional hash: `text`, the part at fault,
    and `why`, the rest of a sentence about it."""

    def __init__(self, text: str, why: str) -> None:
        super().__init__(f"`{printable(text)}` {why}")
        self.text = text
        self.why = why


@dataclass(frozen=True, kw_only=True, slots=True)
class ExplicitEntry:
    """One package of an explicit file: where it is and the digest it must have."""

    url: str
    md5: str | None = None
    sha256: str | None = None

    @property
    def filename(self) -> str:
        return unquote(urlsplit(self.url).path.rsplit("/", 1)[-1])

    @property
    def stem(self) -> str:
        """`name-version-build`: the file name without its archive suffix."""
        for suffix in ARCHIVE_SUFFIXES:
            if self.filename.endswith(suffix):
                return self.filename[: -len(suffix)]
        return self.filename

    @property
    def name(self) -> str:
        return self.stem.rsplit("-", 2)[0]

    @property
    def version(self) -> str:
        return self.stem.rsplit("-", 2)[1]

    @property
    def build(self) -> str:
        return self.stem.rsplit("-", 2)[2]

    @property
    def subdir(self) -> str:
        """The platform folder the archive is in (`linux-64`, `noarch`)."""
        return self.url.rsplit("/", 2)[1]

    @property
    def channel_url(self) -> str:
        """The channel: the URL without `/<subdir>/<file name>`."""
        return self.url.rsplit("/", 2)[0]

    @property
    def channel(self) -> str:
        """The channel as a spec writes it: `conda-forge` on conda.anaconda.org, else its URL."""
        return short_channel(self.channel_url)

    @property
    def digest(self) -> str:
        """`sha256:<hex>` or `md5:<hex>`, the strongest hash the line carries."""
        return f"sha256:{self.sha256}" if self.sha256 else f"md5:{self.md5}"


def is_marker(line: str) -> bool:
    """Whether `line` is the `@EXPLICIT` line that starts the package lines."""
    return line.strip() == EXPLICIT_MARKER


def split_line(line: str) -> tuple[str, str]:
    """A package line -> (URL, the hash after `#`, or "")."""
    url, _, fragment = line.strip().partition("#")
    return url.strip(), fragment.strip()


def parse_entry(line: str) -> ExplicitEntry:
    """`URL`, `URL#<md5>` or `URL#sha256:<hex>` -> an entry; `ExplicitLineError` if not."""
    url, fragment = split_line(line)
    entry = parse_url(url)
    if not fragment:
        return entry
    kind, colon, digest = fragment.partition(":")
    digest = (digest if colon else kind).lower()
    kind = kind.lower() if colon else "md5"
    if kind == "md5" and _MD5.fullmatch(digest):
        return ExplicitEntry(url=url, md5=digest)
    if kind == "sha256" and _SHA256.fullmatch(digest):
        return ExplicitEntry(url=url, sha256=digest)
    raise ExplicitLineError(f"#{fragment}", "is neither an md5 nor a sha256:<hex>")


def parse_url(url: str) -> ExplicitEntry:
    """The entry (without a hash) for the URL of a package archive; `ExplicitLineError` if
    it is not `<scheme>://…/<subdir>/<name>-<version>-<build>.conda` (or `.tar.bz2`)."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise ExplicitLineError(url, f"is not a URL: {exc}") from None
    segments = [segment for segment in parts.path.split("/") if segment]
    if (
        not parts.scheme
        or len(segments) < 2
        or not _SUBDIR.fullmatch(segments[-2])
        or not url.endswith(ARCHIVE_SUFFIXES)
    ):
        raise ExplicitLineError(url, _ARCHIVE_URL)
    entry = ExplicitEntry(url=url)
    fields = entry.stem.rsplit("-", 2)
    if len(fields) != 3 or not all(fields):
        raise ExplicitLineError(entry.filename, "is not name-version-build")
    return entry
