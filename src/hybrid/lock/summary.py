"""What a solve produced, per variant and platform: the data behind the summary table and --json."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hybrid.lock.model import LockResult, VariantResult


@dataclass(frozen=True, kw_only=True, slots=True)
class PlatformSummary:
    variant: str
    platform: str
    package_count: int
    python: str | None
    top_level: tuple[tuple[str, str], ...]
    pip_count: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "variant": self.variant,
            "platform": self.platform,
            "packages": self.package_count,
            "python": self.python,
            "top_level": dict(self.top_level),
            "pip_packages": self.pip_count,
        }


def summarize(result: LockResult) -> tuple[PlatformSummary, ...]:
    rows = []
    for variant in result.variants:
        pip_counts = {r.target.platform: len(r.pins) for r in variant.pip}
        for solution in variant.solutions:
            found = solution.by_name()
            names = [d.name for d in result.spec.conda_for(solution.platform)]
            top = tuple((n, found[n].version) for n in names if n in found)
            python = found.get("python")
            rows.append(
                PlatformSummary(
                    variant=variant.variant.name,
                    platform=solution.platform,
                    package_count=len(solution.packages),
                    python=python.version if python else None,
                    top_level=top,
                    pip_count=pip_counts.get(solution.platform),
                )
            )
    return tuple(rows)


def promotion_lines(result: LockResult) -> tuple[str, ...]:
    """One line per package moved from the pip layer to the conda layer (`promote:`),
    naming its variant when the spec has variants, and its dependency group when a group's
    pip entries brought it (it moved into that group's conda layer, the base kept)."""
    lines: list[str] = []
    for v in result.variants:
        where = f"{v.variant.name}: " if v.variant.cuda is not None else ""
        lines.extend(where + str(promotion) for promotion in v.promotions)
        lines.extend(
            f"{where}group `{group.name}`: {promotion}"
            for group in v.groups
            for promotion in group.promotions
        )
    return tuple(lines)


def result_json(result: LockResult, files: list[Path]) -> dict[str, Any]:
    return _base_json(result, files) | _groups_json(result) | _comparison_json(result)


def _comparison_json(result: LockResult) -> dict[str, Any]:
    """Under `--solver both`: per platform, where the two solvers' answers differ."""
    if not result.comparisons:
        return {}
    return {"solver_comparison": [c.to_dict() for c in result.comparisons]}


def _groups_json(result: LockResult) -> dict[str, Any]:
    """What each dependency group adds to the base, per variant and platform (only when the
    spec has groups, so the JSON of a spec without them is unchanged)."""
    if not result.spec.groups:
        return {}
    out: dict[str, Any] = {}
    for variant in result.variants:
        per_group: dict[str, Any] = {}
        for group in variant.groups:
            pins = {r.target.platform: r.pins for r in group.pip}
            per_group[group.name] = {
                base.platform: {
                    "conda": {p.name: p.version for p in group.added_conda(base)},
                    "pip": {p.name: str(p.version) for p in pins.get(base.platform, ())},
                }
                for base in variant.solutions
            }
        out[variant.variant.name] = per_group
    return {"groups": out}


def _promotions_json(variant: VariantResult) -> list[dict[str, Any]]:
    """The variant's moves: the base's, then each group's with a `group` key naming it (a
    base move has none, so the JSON of a spec without groups is unchanged)."""
    return [p.to_dict() for p in variant.promotions] + [
        p.to_dict() | {"group": group.name} for group in variant.groups for p in group.promotions
    ]


def _base_json(result: LockResult, files: list[Path]) -> dict[str, Any]:
    return {
        "spec": str(result.spec.path),
        "input_hash": result.input_hash,
        "notices": list(result.notices),
        "files": [str(f) for f in sorted(files)],
        "platforms": [row.to_dict() for row in summarize(result)],
        "packages": {
            variant.variant.name: {
                s.platform: [p.to_dict() for p in s.packages] for s in variant.solutions
            }
            for variant in result.variants
        },
        "promotions": {
            variant.variant.name: _promotions_json(variant) for variant in result.variants
        },
        "verification": {
            variant.variant.name: [v.to_dict() for v in variant.verified]
            for variant in result.variants
        },
        "pip": {
            variant.variant.name: {
                r.target.platform: {p.name: str(p.version) for p in r.pins} for r in variant.pip
            }
            for variant in result.variants
        },
    }
