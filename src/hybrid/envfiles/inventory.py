"""What one input file holds, every part located: the common ground of `import` and `lint`.

Each reader (environment file, requirements file, explicit file, spec) fills an `Inventory`;
`import` merges inventories into a spec, `lint` runs its rules over each one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from packaging.requirements import Requirement

from hybrid.envfiles.text import without_credentials
from hybrid.spec.location import Location

Kind = Literal["environment", "requirements", "explicit", "spec"]
Problem = tuple[Location, str]


@dataclass(frozen=True, kw_only=True, slots=True)
class Note:
    """Something of an input that the spec does not carry as written, and why."""

    location: Location
    what: str
    why: str

    def __post_init__(self) -> None:
        """A note is shown to people: credentials in the URLs it quotes never are."""
        for name in ("what", "why"):
            object.__setattr__(self, name, without_credentials(getattr(self, name)))

    def __str__(self) -> str:
        return f"{self.location.file}:{self.location.line}: {self.what} — {self.why}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Item:
    """A located piece of text: a channel, an index URL, an included file, a prefix."""

    text: str
    location: Location


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaItem:
    """One conda package request, as written and as a canonical match spec."""

    written: str
    spec: str
    name: str
    #: The channel part as written before `::` (without a trailing subdir), if any.
    channel: str | None
    version: str | None
    build: str | None
    #: Platforms the entry is limited to (a selector, an explicit file's subdir).
    platforms: frozenset[str] | None
    selector: str | None
    location: Location
    #: Position among the file's dependencies, to tell what comes before what.
    order: int


@dataclass(frozen=True, kw_only=True, slots=True)
class PipItem:
    """One pip requirement (an editable or bare URL already turned into `name @ url`)."""

    requirement: Requirement
    written: str
    location: Location
    hashes: tuple[str, ...] = ()
    editable: bool = False
    #: Which `pip:` block of an environment file holds it (0 elsewhere).
    block: int = 0
    #: A conda-lock style selector comment on its line (`- psutil  # [linux64]`).
    selector: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PipBlock:
    """A `- pip:` item of an environment file's dependencies."""

    location: Location
    order: int


@dataclass(kw_only=True, slots=True)
class Inventory:
    """Everything a reader found in one file; filled in place by the reader."""

    path: Path
    display: str
    kind: Kind
    #: The URL it was fetched from (a remote `-r https://…` include), credentials included.
    url: str | None = None
    name: Item | None = None
    channels: list[Item] = field(default_factory=list)
    platforms: list[Item] = field(default_factory=list)
    conda: list[CondaItem] = field(default_factory=list)
    pip: list[PipItem] = field(default_factory=list)
    pip_blocks: list[PipBlock] = field(default_factory=list)
    index_urls: list[Item] = field(default_factory=list)
    extra_index_urls: list[Item] = field(default_factory=list)
    find_links: list[Item] = field(default_factory=list)
    includes: list[Item] = field(default_factory=list)
    #: A spec's `cuda:` values.
    cuda: list[Item] = field(default_factory=list)
    prefix: Item | None = None
    #: The file presents itself as a lock: `lock` in its name, `@EXPLICIT`, `--hash` lines.
    claims_lock: bool = False
    #: What cannot be parsed at all (an import stops, lint reports H000).
    problems: list[Problem] = field(default_factory=list)
    #: What is parsed but cannot be carried into a spec as written.
    notes: list[Note] = field(default_factory=list)

    def at(self, line: int, column: int = 1) -> Location:
        return Location(file=self.display, line=line, column=column)

    @property
    def named_as_lock(self) -> bool:
        """`lock` in the file name (`environment.lock.yml`, `requirements-lock.txt`)."""
        return "lock" in self.path.name.lower()

    def problem(self, location: Location, message: str) -> None:
        self.problems.append((location, without_credentials(message)))

    def note(self, location: Location, what: str, why: str) -> None:
        self.notes.append(Note(location=location, what=what, why=why))
