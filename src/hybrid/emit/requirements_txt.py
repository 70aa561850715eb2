"""``requirements.txt``: the pip layer of every platform in one hash-checked file.

Every pin is exact and carries the sha256 of each file a platform may install (with uv: the
wheels that fit the platforms it holds on; with pip-tools: every file of the version), so
``pip install --no-deps --require-hashes -r requirements.txt`` installs exactly the compiled
layer. A pin that holds on every platform has no marker; one that differs or is missing on
some platforms gets a marker selecting exactly the platforms it belongs to.

The layer is wheels only: the file says ``--only-binary :all:``. Where the spec lets some
packages be built (`pip-build`), or a direct reference is no wheel, it names every other
pin in ``--only-binary <name>`` instead, so pip and uv build exactly those.

Limitation: pip cannot hash a version-control checkout, and in hash-checking mode it refuses
every VCS requirement ("Can't verify hashes for these requirements because we don't have a
way to hash version control repositories"). A git direct reference is written pinned to its
commit (``name @ git+https://host/repo@<commit>``), but a file holding one installs only
without ``--require-hashes``. ``hybrid.pypi.pins.unhashable_pins`` names such pins; the
pipeline turns them into a notice. Direct references to archives
(``name @ https://…/name-1.0-py3-none-any.whl``) keep their ``--hash`` and are fine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from packaging.markers import Marker
from packaging.version import Version

from hybrid.errors import UsageError
from hybrid.pypi.model import IndexOptions, PinnedDistribution, PipLayerResult
from hybrid.pypi.platforms import facts_for
from hybrid.redact import redact


@dataclass(frozen=True, kw_only=True, slots=True)
class _Line:
    name: str
    version: Version
    requirement: str


@dataclass(frozen=True, kw_only=True, slots=True)
class MergedPin:
    """One line of the merged pip layer: a requirement, its marker (None = every platform)."""

    requirement: str
    marker: str | None
    hashes: tuple[str, ...]

    def __str__(self) -> str:
        return self.requirement if self.marker is None else f"{self.requirement} ; {self.marker}"


def merge_pins(results: Sequence[PipLayerResult]) -> list[MergedPin]:
    """The per-platform pins as one list; a pin that differs by platform gets a marker."""
    platforms = _platforms(results)
    # One line per distinct requirement, with the hashes of every platform it holds on (uv
    # gives each platform the hashes of its own wheels); those platforms decide its marker.
    where: dict[_Line, set[str]] = {}
    hashes: dict[_Line, set[str]] = {}
    for result in results:
        for pin in result.pins:
            line = _Line(name=pin.name, version=pin.version, requirement=_requirement(pin))
            where.setdefault(line, set()).add(result.target.platform)
            hashes.setdefault(line, set()).update(pin.hashes)
    return [
        MergedPin(
            requirement=line.requirement,
            marker=None if where[line] == platforms else platform_marker(where[line]),
            hashes=tuple(sorted(hashes[line])),
        )
        for line in sorted(where, key=lambda x: (x.name, x.version, x.requirement))
    ]


def render_requirements(
    results: Sequence[PipLayerResult], *, header: Sequence[str], index: IndexOptions
) -> str:
    """The text of ``requirements.txt`` for ``results`` (one per platform); LF, deterministic."""
    text = [*_header(header), *_index_options(index), *build_options(results)]
    for pin in merge_pins(results):
        text.extend(_entry(pin.requirement, pin.marker, pin.hashes))
    return "".join(f"{line}\n" for line in text)


def platform_marker(platforms: Iterable[str]) -> str:
    """A PEP 508 marker true on exactly ``platforms`` (conda subdirs)."""
    terms = []
    for subdir in sorted(set(platforms)):
        facts = facts_for(subdir)
        terms.append(
            f'sys_platform == "{facts.sys_platform}" '
            f'and platform_machine == "{facts.platform_machine}"'
        )
    if not terms:
        raise ValueError("a platform marker needs at least one platform")
    marker = terms[0] if len(terms) == 1 else " or ".join(f"({term})" for term in terms)
    Marker(marker)  # raises if it were ever malformed
    return marker


def build_options(results: Sequence[PipLayerResult]) -> list[str]:
    """``--only-binary :all:``, or ``--only-binary <name>`` for each pin that must be a wheel
    when some may be built (`pip-build`, a direct reference that is no wheel)."""
    pins = [pin for result in results for pin in result.pins]
    if not pins:
        return []
    built = {pin.name for result in results for pin in result.pins
             if pin.name in result.may_build
             or (pin.url is not None and not urlsplit(pin.url).path.endswith(".whl"))}
    if not built:
        return ["--only-binary :all:"]
    return [f"--only-binary {name}" for name in sorted({p.name for p in pins} - built)]


def _platforms(results: Sequence[PipLayerResult]) -> set[str]:
    seen: set[str] = set()
    for result in results:
        platform = result.target.platform
        facts_for(platform)
        if platform in seen:
            raise UsageError(f"two pip layers for platform {platform} in one requirements.txt")
        seen.add(platform)
    return seen


def _requirement(pin: PinnedDistribution) -> str:
    if pin.url is not None:
        return f"{pin.name} @ {redact(pin.url)}"
    return f"{pin.name}=={pin.version}"


def _entry(requirement: str, marker: str | None, hashes: Sequence[str]) -> list[str]:
    head = requirement if marker is None else f"{requirement} ; {marker}"
    if not hashes:
        return [head]
    hash_lines = [f"    --hash={digest}" for digest in sorted(hashes)]
    return [f"{head} \\", *(f"{line} \\" for line in hash_lines[:-1]), hash_lines[-1]]


def _header(header: Sequence[str]) -> list[str]:
    lines = []
    for line in header:
        if "\n" in line or "\r" in line:
            raise ValueError(f"a header line holds a line break: {line!r}")
        lines.append(line if line.startswith("#") else f"# {line}".rstrip())
    return lines


def _index_options(index: IndexOptions) -> list[str]:
    lines = []
    if index.index_url:
        lines.append(f"--index-url {redact(index.index_url)}")
    lines.extend(f"--extra-index-url {redact(url)}" for url in index.extra_index_urls)
    lines.extend(f"--find-links {redact(link)}" for link in index.find_links)
    return lines
