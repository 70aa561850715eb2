"""What `hybrid import` will write: the content of a spec, plus what it could not carry."""

from __future__ import annotations

from dataclasses import dataclass

from hybrid.envfiles.inventory import Note
from hybrid.spec.location import Location


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaEntry:
    """One `conda:` entry of the spec to write."""

    spec: str
    name: str
    platforms: frozenset[str] | None
    location: Location


@dataclass(frozen=True, kw_only=True, slots=True)
class PipIndexPlan:
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportPlan:
    """The spec's content in the order it is written, and the findings of the import."""

    sources: tuple[str, ...]
    name: str
    channels: tuple[str, ...]
    platforms: tuple[str, ...]
    python: str | None
    cuda: str | None
    conda: tuple[CondaEntry, ...]
    pip: tuple[str, ...]
    pip_index: PipIndexPlan
    notes: tuple[Note, ...]
