"""Conda package requests as environment files write them -> canonical match specs.

`numpy=1.26.4=py311h64a7726_0` (what `conda env export` writes) becomes
`numpy ==1.26.4 py311h64a7726_0`, `numpy=1.26` becomes `numpy 1.26.*`; a channel written
before `::` is kept as written (a URL stays a URL).
"""

from __future__ import annotations

from rattler import MatchSpec
from rattler.exceptions import InvalidMatchSpecError

from hybrid.adopt.inventory import CondaItem
from hybrid.conda.matchspec import MatchSpecSyntaxError, parse_match_spec
from hybrid.platforms import PLATFORMS
from hybrid.spec.location import Location

_SUBDIRS = frozenset({*PLATFORMS, "noarch"})


def conda_item(
    written: str,
    location: Location,
    *,
    order: int,
    platforms: frozenset[str] | None = None,
    selector: str | None = None,
) -> CondaItem:
    """The request `written` as a `CondaItem`; `MatchSpecSyntaxError` says why it is not one."""
    text = " ".join(written.split())
    prefix, sep, rest = text.partition("::")
    if not sep:
        prefix, rest = "", text
    try:
        parsed = MatchSpec(rest.strip())
    except InvalidMatchSpecError as exc:
        raise MatchSpecSyntaxError(_first_line(exc)) from None
    except Exception as exc:  # rattler's own errors are not all InvalidMatchSpecError
        raise MatchSpecSyntaxError(_first_line(exc)) from None
    if parsed.name is None:
        raise MatchSpecSyntaxError("missing package name")
    canonical = str(parsed)
    spec = f"{prefix.strip()}::{canonical}" if prefix.strip() else canonical
    checked = parse_match_spec(spec)
    if checked.text != spec:
        raise MatchSpecSyntaxError(f"`{spec}` does not read back as written")
    channel = _channel(prefix.strip(), parsed)
    return CondaItem(
        written=written.strip(),
        spec=spec,
        name=checked.name,
        channel=channel,
        version=str(parsed.version) if parsed.version is not None else None,
        build=str(parsed.build) if parsed.build is not None else None,
        platforms=platforms,
        selector=selector,
        location=location,
        order=order,
    )


def _channel(prefix: str, parsed: MatchSpec) -> str | None:
    """The channel to list in `channels:` for this request (without a subdir suffix)."""
    if prefix:
        head, _, last = prefix.rstrip("/").rpartition("/")
        return head if head and last in _SUBDIRS else prefix.rstrip("/")
    if parsed.channel is not None:
        return str(parsed.channel.name)
    return None


def _first_line(exc: Exception) -> str:
    first, *rest = str(exc).splitlines() or ["invalid"]
    causes = [line.removeprefix("Caused by:").strip() for line in rest]
    extra = [cause for cause in causes if cause and cause not in first]
    return first + (f" ({'; '.join(extra)})" if extra else "")


def release_parts(version: str | None) -> list[str] | None:
    """The dotted release of a single-version request: `3.11.*`, `==3.11.7`, `3.11.7.*`.

    None for ranges, alternatives and anything with letters.
    """
    if version is None:
        return None
    text = version.removeprefix("==").removesuffix(".*")
    parts = text.split(".")
    return parts if all(part.isdigit() for part in parts) else None
