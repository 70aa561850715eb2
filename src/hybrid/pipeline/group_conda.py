"""A dependency group's conda layer: per platform, the base's specs plus the group's, with
every record of the base's solution locked exactly (name, version, build and the file's
hash, so its channel too). The base is solved once, without groups, and never moves; a group
that needs another version of a base package fails naming the group, its entry and that
package."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from hybrid.conda.model import CondaPackage, CondaSolution, LockedRef, SolveRequest
from hybrid.conda.requests import read_from
from hybrid.conda.solver import CondaSolver
from hybrid.errors import CondaUnsatisfiableError, GroupConflictError
from hybrid.spec.channels import ChannelRef
from hybrid.spec.matchspec import CondaMatchSpec
from hybrid.spec.model import CondaDependency, Group, Spec


def group_request(
    spec: Spec,
    group: Group,
    base: CondaSolution,
    *,
    pinned: bool = True,
    entries: Sequence[CondaDependency] | None = None,
    previous: tuple[LockedRef, ...] = (),
) -> SolveRequest:
    """The base's request plus the group's entries (and `python`, `pip` for a group's pip
    layer when the base has none), each base record pinned exactly unless not `pinned`;
    `previous` are the group's packages of an earlier lock, kept where possible (`update`)."""
    request = base.request
    channels: tuple[ChannelRef, ...] = request.channels
    chosen = group.conda_for(base.platform) if entries is None else tuple(entries)
    names = {m.name for m in request.specs}
    added = [dep.match for dep in chosen]
    if group.pip:
        added.extend(CondaMatchSpec(name=n) for n in ("python", "pip") if n not in names)
    pins = tuple(exact_pin(p) for p in base.packages) if pinned else ()
    return replace(
        request,
        specs=(*request.specs, *(read_from(m, channels, spec.directory) for m in added)),
        constraints=(*request.constraints, *pins),
        locked=previous,
    )


def exact_pin(package: CondaPackage) -> CondaMatchSpec:
    """`name ==version build` with the file's hash: only this record matches."""
    return CondaMatchSpec(
        name=package.name,
        version=f"=={package.version}",
        build=package.build,
        sha256=package.sha256,
        md5=None if package.sha256 else package.md5,
    )


def solve_group(
    solver: CondaSolver,
    spec: Spec,
    group: Group,
    base: Sequence[CondaSolution],
    previous: Mapping[str, tuple[LockedRef, ...]] | None = None,
) -> tuple[CondaSolution, ...]:
    """One solution per base solution (platform), base records unchanged in each."""
    kept = previous or {}
    requests = [group_request(spec, group, b, previous=kept.get(b.platform, ())) for b in base]
    try:
        solved = solver.solve(requests)
    except CondaUnsatisfiableError as exc:
        failed = next(b for b in base if b.platform == exc.platform)
        raise _explained(solver, spec, group, failed, exc) from None
    for b, s in zip(base, solved, strict=True):
        check_base_kept(group, b, s)
    return tuple(solved)


def check_base_kept(group: Group, base: CondaSolution, solved: CondaSolution) -> None:
    """The locks make this hold; a solution breaking it must never be written."""
    have = {p.url for p in solved.packages}
    lost = sorted(p.name for p in base.packages if p.url not in have)
    if lost:
        raise GroupConflictError(
            f"group `{group.name}` on {base.platform}: the solve changed base packages "
            f"{', '.join(lost)}; nothing was written"
        )


def _explained(
    solver: CondaSolver,
    spec: Spec,
    group: Group,
    base: CondaSolution,
    exc: CondaUnsatisfiableError,
) -> GroupConflictError:
    """Name what the group would move: solve again without the base locked; if that works,
    the base packages it changes are the conflict, and the entries that fail alone are why."""
    where = f"{base.platform} ({exc.label})" if exc.label else base.platform
    try:
        free = solver.solve([group_request(spec, group, base, pinned=False)])[0]
    except CondaUnsatisfiableError:
        return GroupConflictError(
            f"group `{group.name}` cannot be solved with the base's conda entries on "
            f"{where}:\n{exc.explanation}",
            hint="the explanation above says why, in the solver's words",
        )
    moved = _moved(base, free)
    culprits = [
        dep
        for dep in group.conda_for(base.platform)
        if _fails_alone(solver, spec, group, base, dep)
    ] or list(group.conda_for(base.platform))
    lines = [
        f"group `{group.name}` needs base packages the base's solve pinned otherwise, on "
        f"{where}:"
    ]
    lines.extend(f"  {dep.location}: {dep.field} `{dep.spec}`" for dep in culprits)
    lines.append("base packages it would change (the base stays as solved without groups):")
    lines.extend(f"  {line}" for line in moved)
    return GroupConflictError(
        "\n".join(lines),
        hint="loosen the group's entry, or pin the base's entry to a version the group "
        "accepts, so the base's own solve chooses it",
    )


def _moved(base: CondaSolution, free: CondaSolution) -> list[str]:
    now = free.by_name()
    out = []
    for package in base.packages:
        other = now.get(package.name)
        if other is None:
            out.append(f"{package.name} {package.version} {package.build} (would be removed)")
        elif (other.version, other.build) != (package.version, package.build):
            out.append(
                f"{package.name} {package.version} {package.build} -> "
                f"{other.version} {other.build}"
            )
    return out or ["(none by version: a record's channel or file differs)"]


def _fails_alone(
    solver: CondaSolver, spec: Spec, group: Group, base: CondaSolution, dep: CondaDependency
) -> bool:
    try:
        solver.solve([group_request(spec, group, base, entries=[dep])])
    except CondaUnsatisfiableError:
        return True
    return False
