"""conda-lock style platform selectors (`- pywin32  # [win]`) -> sets of platforms or markers.

A selector is `or` / `,` of `and` of words, each word optionally negated with `not`
(`linux64 or osx`, `not win`, `linux and not aarch64`); a word is a platform (`linux-64`),
a platform's selector name (`linux64`, `aarch64`, `osx64`, `arm64`, `win64`; the names live
in `hybrid.platforms.SELECTORS`) or a family (`linux`, `osx`, `win`, `unix`). Parentheses
and Python expressions (`py>=310`) are not selectors hybrid understands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hybrid.platforms import FACTS, PLATFORMS, SELECTORS, family

_NAMED = {name: platform for platform, name in SELECTORS.items()}
_FAMILIES = {"linux": ("linux",), "osx": ("osx",), "win": ("win",), "unix": ("linux", "osx")}
_OR = re.compile(r"\s+or\s+|\s*,\s*")
_AND = re.compile(r"\s+and\s+")
_NOT = re.compile(r"^not\s+")


def selector_platforms(selector: str, platforms: Iterable[str]) -> frozenset[str] | None:
    """The platforms a selector names: one by one, or among `platforms` for a family or `not`.

    None when the selector is not one of the forms this module reads.
    """
    known = frozenset(platforms)
    chosen: set[str] = set()
    for term in _OR.split(selector.strip().lower()):
        factors = [_factor(word, known) for word in _AND.split(term)]
        if not term or any(factor is None for factor in factors):
            return None
        chosen |= frozenset.intersection(*(f for f in factors if f is not None))
    return frozenset(chosen)


def _factor(word: str, known: frozenset[str]) -> frozenset[str] | None:
    negated = _NOT.match(word)
    name = word[negated.end() :] if negated else word
    if name in PLATFORMS:
        found = frozenset({name})
    elif name in _NAMED:
        found = frozenset({_NAMED[name]})
    elif name in _FAMILIES:
        found = frozenset(p for p in known if family(p) in _FAMILIES[name])
    else:
        return None
    return known - found if negated else found


def named_platforms(selector: str) -> frozenset[str]:
    """The platforms a selector names one by one (`aarch64`), not through a family."""
    found = selector_platforms(selector, ())
    return found if found is not None else frozenset()


def platforms_marker(chosen: Iterable[str]) -> str | None:
    """A PEP 508 marker true on exactly `chosen` among hybrid's platforms.

    A whole family becomes `sys_platform == "linux"`; part of one names the machines
    (`sys_platform == "linux" and platform_machine == "x86_64"`). The marker values are
    the platform table's wheel facts (`hybrid.platforms`); None when none of `chosen` has a
    pip layer.
    """
    wanted = frozenset(chosen)
    terms: list[str] = []
    for name in sorted({family(p) for p in PLATFORMS}):
        members = [p for p in PLATFORMS if family(p) == name]
        wheels = [FACTS[p].wheels for p in members if p in wanted]
        facts = [w for w in wheels if w is not None]
        if not facts:
            continue
        if wanted.issuperset(members):
            terms.append(f'sys_platform == "{facts[0].sys_platform}"')
            continue
        terms += [
            f'sys_platform == "{f.sys_platform}" and platform_machine == "{f.platform_machine}"'
            for f in facts
        ]
    if len(terms) > 1:
        return " or ".join(f"({term})" if " and " in term else term for term in terms)
    return terms[0] if terms else None
