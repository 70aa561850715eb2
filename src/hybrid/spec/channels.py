"""Channel references: what a spec names, where it is read from, what the outputs say.

A channel URL may carry credentials (`https://user:token@host/channel`,
`https://host/t/<token>/channel`). They stay in the location rattler reads; the canonical URL,
which every output and message names, never has them (`hybrid.redact`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from hybrid.errors import UsageError
from hybrid.redact import redact

DEFAULT_CHANNEL_ALIAS = "https://conda.anaconda.org"


@dataclass(frozen=True, kw_only=True, slots=True)
class ChannelRef:
    """A channel as written, its canonical URL (used in outputs, never with credentials) and
    where it is read from (credentials kept: the solver needs them)."""

    written: str
    canonical_url: str
    location_url: str

    @property
    def name(self) -> str:
        """Short name: `conda-forge` for the canonical conda-forge URL, else the canonical URL."""
        return short_channel(self.canonical_url)

    def local_path(self) -> Path | None:
        """The directory a `file://` location points at; None for remote channels."""
        parts = urlsplit(self.location_url)
        if parts.scheme != "file":
            return None
        from urllib.request import url2pathname  # urllib.request costs 20 ms to import

        return Path(url2pathname(parts.path))

    def to_canonical(self, url: str) -> str:
        """Rewrite a package URL read from the location to the canonical channel URL.

        Compared without credentials too: a solver may hand back the location's URL with
        its password masked (rattler writes `user:********@`)."""
        for base, found in ((self.location_url, url), (redact(self.location_url), redact(url))):
            prefix = base.rstrip("/") + "/"
            if found.startswith(prefix):
                return self.canonical_url.rstrip("/") + "/" + found[len(prefix) :]
        return url

    def reads_from(self, channel: str) -> bool:
        """Whether `channel` (a solver's name for a record's channel, maybe with its
        credentials masked) is this channel's location."""
        return redact(channel).rstrip("/") == redact(self.location_url).rstrip("/")


def short_channel(text: str) -> str:
    """`https://conda.anaconda.org/conda-forge/ ` -> `conda-forge` (the same channel); any
    other channel as written, without surrounding space or a trailing `/`."""
    channel = text.strip().rstrip("/")
    return channel.removeprefix(DEFAULT_CHANNEL_ALIAS + "/")


def channel_name(channel: str) -> str:
    """The bare name of a channel given as a name, a URL or a path, on any host: what
    names the channel's published conda-to-PyPI mapping.

    >>> channel_name("https://conda.anaconda.org/conda-forge/")
    'conda-forge'
    >>> channel_name("pytorch/label/nightly")
    'pytorch'
    """
    text = channel.strip().replace("\\", "/")
    path = urlsplit(text).path if "://" in text else text
    parts = [part for part in path.split("/") if part]
    if "label" in parts[1:]:
        return parts[parts.index("label", 1) - 1].lower()
    return parts[-1].lower() if parts else text.lower()


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https", "file", "s3", "oci")


def canonical_url(written: str, *, base_dir: Path) -> str:
    """`conda-forge` -> `https://conda.anaconda.org/conda-forge`; paths -> `file://` URLs;
    credentials removed (`https://u:p@host/t/<token>/c` -> `https://host/c`)."""
    return redact(location_url(written, base_dir=base_dir)).rstrip("/")


def location_url(written: str, *, base_dir: Path) -> str:
    """The URL to read `written` from: `canonical_url` with its credentials kept."""
    text = written.strip().rstrip("/")
    if is_url(text):
        return text
    if text.startswith((".", "/", "~")) or "\\" in text or (len(text) > 1 and text[1] == ":"):
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = base_dir / path
        return path.resolve().as_uri()
    return f"{DEFAULT_CHANNEL_ALIAS}/{text}"


def parse_mirrors(values: Sequence[str], *, base_dir: Path) -> dict[str, str]:
    """`--mirror NAME=URL` options -> {canonical channel URL: location URL}; the location
    keeps its credentials (`--mirror conda-forge=https://user:token@mirror.lab/conda-forge`)."""
    mirrors: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise UsageError(
                f"--mirror {value!r}: expected NAME=URL, e.g. conda-forge=https://mirror.lab/conda-forge"
            )
        mirrors[canonical_url(name, base_dir=base_dir)] = location_url(url, base_dir=base_dir)
    return mirrors


def resolve_channels(
    written: Sequence[str], *, base_dir: Path, mirrors: Mapping[str, str]
) -> tuple[ChannelRef, ...]:
    """Resolve the spec's channels, in priority order, applying mirrors."""
    refs = []
    for text in written:
        location = location_url(text, base_dir=base_dir)
        canonical = redact(location).rstrip("/")
        refs.append(
            ChannelRef(
                written=text,
                canonical_url=canonical,
                location_url=mirrors.get(canonical, location),
            )
        )
    return tuple(refs)


def listed_channel(
    written: str, refs: Sequence[ChannelRef], *, base_dir: Path
) -> ChannelRef | None:
    """The spec channel a `channel::name` entry names, matched by canonical URL (so
    `conda-forge` and `https://conda.anaconda.org/conda-forge` are one channel, and
    `https://prefix.dev/conda-forge` another)."""
    wanted = canonical_url(written, base_dir=base_dir)
    return next((ref for ref in refs if ref.canonical_url == wanted), None)


def is_listed(written: str, channels: Sequence[str], *, base_dir: Path) -> bool:
    """Whether `written` names one of `channels` (as written in a file), by the rule of
    `listed_channel`."""
    refs = resolve_channels(channels, base_dir=base_dir, mirrors={})
    return listed_channel(written, refs, base_dir=base_dir) is not None
