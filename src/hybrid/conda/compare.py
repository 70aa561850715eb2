"""Two solvers' answers to the same request, side by side (`hybrid solve --solver both`).

Two SAT solvers may pick different valid solutions, so a difference is a fact to report,
not an error: what each solution has that the other lacks, and where both have a package
at a different version or build. The pipeline adds the time each solver took and whether
each solution passed the lock verifier; cli/ prints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hybrid.conda.model import CondaPackage, CondaSolution


@dataclass(frozen=True, kw_only=True, slots=True)
class PackageDifference:
    """A package both solutions hold, at a different version or build."""

    name: str
    left: str  # "version build"
    right: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "left": self.left, "right": self.right}


@dataclass(frozen=True, kw_only=True, slots=True)
class SolutionDiff:
    """Where the right solution differs from the left one."""

    only_left: tuple[str, ...] = ()  # "name version build", sorted by name
    only_right: tuple[str, ...] = ()
    changed: tuple[PackageDifference, ...] = ()
    same: int = 0  # packages identical in both (name, version, build, subdir, channel)

    @property
    def identical(self) -> bool:
        return not (self.only_left or self.only_right or self.changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "identical": self.identical,
            "same": self.same,
            "only_left": list(self.only_left),
            "only_right": list(self.only_right),
            "changed": [c.to_dict() for c in self.changed],
        }


def diff_solutions(left: CondaSolution, right: CondaSolution) -> SolutionDiff:
    """The differences between two solutions of one platform, by package name."""
    a, b = left.by_name(), right.by_name()
    changed = tuple(
        PackageDifference(name=n, left=_vb(a[n]), right=_vb(b[n]))
        for n in sorted(a.keys() & b.keys())
        if _key(a[n]) != _key(b[n])
    )
    return SolutionDiff(
        only_left=tuple(_full(a[n]) for n in sorted(a.keys() - b.keys())),
        only_right=tuple(_full(b[n]) for n in sorted(b.keys() - a.keys())),
        changed=changed,
        same=sum(1 for n in a.keys() & b.keys() if _key(a[n]) == _key(b[n])),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class SolverRun:
    """One solver's answer for one request: its solution, or why it has none."""

    solver: str
    seconds: float
    packages: int = 0
    error: str | None = None  # the first line of an unsatisfiable/backend error
    unmet: tuple[str, ...] = ()  # what the lock verifier found missing in the solution

    def to_dict(self) -> dict[str, Any]:
        return {
            "solver": self.solver,
            "seconds": round(self.seconds, 4),
            "packages": self.packages,
            "error": self.error,
            "verified": self.error is None and not self.unmet,
            "unmet": list(self.unmet),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class SolverComparison:
    """One platform (of one variant) solved by two solvers; `diff` is right against left."""

    platform: str
    label: str
    left: SolverRun
    right: SolverRun
    diff: SolutionDiff | None = None  # None when either has no solution

    def to_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "variant": self.label or None,
            "left": self.left.to_dict(),
            "right": self.right.to_dict(),
            "diff": None if self.diff is None else self.diff.to_dict(),
        }


def summary(diff: SolutionDiff | None) -> str:
    """A short cell text: `identical`, or counts of what differs."""
    if diff is None:
        return "-"
    if diff.identical:
        return "identical"
    parts = []
    if diff.changed:
        parts.append(f"{len(diff.changed)} changed")
    if diff.only_left:
        parts.append(f"{len(diff.only_left)} only left")
    if diff.only_right:
        parts.append(f"{len(diff.only_right)} only right")
    return ", ".join(parts)


def details(diff: SolutionDiff | None, names: Sequence[str]) -> list[str]:
    """One line per difference, naming the two solvers (`names`: left, right)."""
    if diff is None:
        return []
    left, right = names
    lines = [f"{c.name}: {left} {c.left}, {right} {c.right}" for c in diff.changed]
    lines.extend(f"only {left}: {p}" for p in diff.only_left)
    lines.extend(f"only {right}: {p}" for p in diff.only_right)
    return lines


def _key(package: CondaPackage) -> tuple[str, str, str, str]:
    return (package.version, package.build, package.subdir, package.channel)


def _vb(package: CondaPackage) -> str:
    return f"{package.version} {package.build}"


def _full(package: CondaPackage) -> str:
    return f"{package.name} {package.version} {package.build}"
