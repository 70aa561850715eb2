"""Read `conda-<platform>.lock`: conda's explicit format, one `URL#hash` line per package.

A line is `URL#<md5 hex>` or `URL#sha256:<hex>` (or a bare URL, which hybrid never writes and
the installer refuses: nothing could verify it). Comment lines before `@EXPLICIT` form the
header; `# platform: …` and `# input-hash: …` are read from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hybrid.emit.header import read_header_value, read_input_hash
from hybrid.errors import UsageError

EXPLICIT_MARKER = "@EXPLICIT"
ARCHIVE_SUFFIXES = (".conda", ".tar.bz2")
_MD5 = re.compile(r"[0-9a-f]{32}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ExplicitFileError(UsageError):
    """An explicit file hybrid cannot read; names the file and line."""


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
    def channel_url(self) -> str:
        """The channel: the URL without `/<subdir>/<file name>`."""
        return self.url.rsplit("/", 2)[0]

    @property
    def digest(self) -> str:
        """`sha256:<hex>` or `md5:<hex>`, the strongest hash the line carries."""
        return f"sha256:{self.sha256}" if self.sha256 else f"md5:{self.md5}"


@dataclass(frozen=True, kw_only=True, slots=True)
class ExplicitFile:
    path: Path
    platform: str | None
    input_hash: str | None
    entries: tuple[ExplicitEntry, ...]


def read_explicit(path: Path) -> ExplicitFile:
    """Parse `path`; ExplicitFileError for anything but a well-formed, hashed explicit file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExplicitFileError(f"{path}: no such file", hint="run `hybrid solve` first") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExplicitFileError(f"{path}: cannot read it ({exc})") from None
    return parse_explicit(text, path=path)


def parse_explicit(text: str, *, path: Path) -> ExplicitFile:
    lines = text.splitlines()
    try:
        marker = next(i for i, line in enumerate(lines) if line.strip() == EXPLICIT_MARKER)
    except StopIteration:
        raise ExplicitFileError(
            f"{path}: no {EXPLICIT_MARKER} line; not an explicit file"
        ) from None
    header = [line for line in lines[:marker] if line.startswith("#")]
    entries = []
    for number, line in enumerate(lines[marker + 1 :], start=marker + 2):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            entries.append(parse_line(stripped, where=f"{path}:{number}"))
    return ExplicitFile(
        path=path,
        platform=read_header_value(header, "platform"),
        input_hash=read_input_hash(header),
        entries=tuple(entries),
    )


def parse_line(line: str, *, where: str) -> ExplicitEntry:
    """`URL#md5` or `URL#sha256:hex` -> an entry; `where` (file:line) locates errors."""
    url, sep, fragment = line.partition("#")
    if not sep or not fragment:
        raise ExplicitFileError(f"{where}: `{line}` has no hash; hybrid installs only hashed URLs")
    if not urlsplit(url).scheme or not url.endswith(ARCHIVE_SUFFIXES):
        raise ExplicitFileError(f"{where}: `{url}` is not the URL of a conda package archive")
    kind, colon, digest = fragment.partition(":")
    digest = (digest if colon else kind).lower()
    kind = kind.lower() if colon else "md5"
    if kind == "md5" and _MD5.fullmatch(digest):
        entry = ExplicitEntry(url=url, md5=digest)
    elif kind == "sha256" and _SHA256.fullmatch(digest):
        entry = ExplicitEntry(url=url, sha256=digest)
    else:
        raise ExplicitFileError(f"{where}: `#{fragment}` is neither an md5 nor a sha256:<hex>")
    if entry.stem.count("-") < 2:
        raise ExplicitFileError(f"{where}: `{entry.filename}` is not name-version-build")
    return entry
