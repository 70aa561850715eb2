"""conda-lock style platform selectors (`- pywin32  # [win]`) -> sets of platforms."""

from __future__ import annotations

import re
from collections.abc import Iterable

from hybrid.platforms import PLATFORMS, family

_SPECIFIC = {
    "linux64": "linux-64",
    "aarch64": "linux-aarch64",
    "ppc64le": "linux-ppc64le",
    "osx64": "osx-64",
    "arm64": "osx-arm64",
    "win64": "win-64",
}
_FAMILIES = {"linux": ("linux",), "osx": ("osx",), "win": ("win",), "unix": ("linux", "osx")}
_SEPARATOR = re.compile(r"\s+or\s+|\s*,\s*")


def selector_platforms(selector: str, platforms: Iterable[str]) -> frozenset[str] | None:
    """The platforms (among `platforms` for a family like `linux`) a selector names.

    None when the selector is not one of the simple forms (`win`, `linux64 or osx64`).
    """
    chosen: set[str] = set()
    known = tuple(platforms)
    for word in _SEPARATOR.split(selector.strip().lower()):
        if word in PLATFORMS:
            chosen.add(word)
        elif word in _SPECIFIC:
            chosen.add(_SPECIFIC[word])
        elif word in _FAMILIES:
            chosen.update(p for p in known if family(p) in _FAMILIES[word])
        else:
            return None
    return frozenset(chosen)


def named_platforms(selector: str) -> frozenset[str]:
    """The platforms a selector names one by one (`aarch64`), not through a family."""
    found = selector_platforms(selector, ())
    return found if found is not None else frozenset()
