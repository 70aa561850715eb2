"""Closures over solved conda packages, by name: a solution holds one record per name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hybrid.conda.model import CondaPackage


def dependency_names(package: CondaPackage) -> list[str]:
    """The package names `package` depends on (virtual packages included)."""
    return [text.split()[0].split("[")[0] for text in package.depends if text.strip()]


def reachable(packages: Sequence[CondaPackage], roots: Iterable[str]) -> list[CondaPackage]:
    """The packages the `roots` need, directly or through dependencies, in the given order."""
    by_name = {p.name: p for p in packages}
    seen: set[str] = set()
    stack = [name for name in roots if name in by_name]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(d for d in dependency_names(by_name[name]) if d in by_name)
    return [p for p in packages if p.name in seen]
