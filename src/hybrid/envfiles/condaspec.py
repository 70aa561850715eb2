"""Conda package requests as environment files write them -> canonical match specs.

`numpy=1.26.4=py311h64a7726_0` (what `conda env export` writes) becomes
`numpy ==1.26.4 py311h64a7726_0`, `numpy=1.26` becomes `numpy 1.26.*`; a channel written
before `::` is kept as written (a URL stays a URL).
"""

from __future__ import annotations

from hybrid.envfiles.inventory import CondaItem
from hybrid.spec.location import Location
from hybrid.spec.matchspec import parse_match_spec


def conda_item(
    written: str,
    location: Location,
    *,
    order: int,
    platforms: frozenset[str] | None = None,
    selector: str | None = None,
) -> CondaItem:
    """The request `written` as a `CondaItem`; `MatchSpecSyntaxError` says why it is not one."""
    checked = parse_match_spec(written)
    spec = str(checked)
    return CondaItem(
        written=written.strip(),
        spec=spec,
        name=checked.name,
        channel=checked.channel,
        version=checked.version,
        build=checked.build,
        platforms=platforms,
        selector=selector,
        location=location,
        order=order,
    )


def release_parts(version: str | None) -> list[str] | None:
    """The dotted release of a single-version request: `3.11.*`, `==3.11.7`, `3.11.7.*`.

    None for ranges, alternatives and anything with letters.
    """
    if version is None:
        return None
    text = version.removeprefix("==").removesuffix(".*")
    parts = text.split(".")
    return parts if all(part.isdigit() for part in parts) else None
