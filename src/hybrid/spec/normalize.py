"""Schema-valid data -> the frozen `Spec`, checking what a schema cannot (match specs, PEP 508)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from hybrid.platforms import DEFAULT_PLATFORMS
from hybrid.spec.channels import listed_channel, resolve_channels
from hybrid.spec.groups import GroupParsers, pip_platform_problems, spec_groups
from hybrid.spec.loader import LoadedDocument
from hybrid.spec.location import Location
from hybrid.spec.matchspec import MatchSpecSyntaxError, parse_match_spec
from hybrid.spec.model import (
    CondaDependency,
    CudaEntry,
    PipDependency,
    PipIndex,
    Promote,
    Spec,
    System,
)
from hybrid.spec.pyproject import pyproject_entries

DEFAULT_CHANNELS = ("conda-forge",)

Problem = tuple[Location, str]


def normalize(doc: LoadedDocument) -> tuple[Spec | None, list[Problem]]:
    """Build the `Spec`; return every semantic problem found instead when there are any."""
    data: dict[str, Any] = doc.data
    problems: list[Problem] = []
    channels = tuple(str(c).strip() for c in data.get("channels", DEFAULT_CHANNELS))
    platforms = tuple(data.get("platforms", DEFAULT_PLATFORMS))
    conda = _conda_entries(doc, data.get("conda", []), platforms, channels, problems)
    raw_pip = data.get("pip", [])
    pip = (
        pyproject_entries(doc, raw_pip, problems)
        if isinstance(raw_pip, dict)
        else _pip_entries(doc, raw_pip, problems)
    )
    _check_pip_platforms(doc, platforms, bool(data.get("pip")), problems)
    groups = spec_groups(
        doc,
        data,
        (conda, pip),
        problems,
        GroupParsers(
            conda=lambda entries, at: _conda_entries(
                doc, entries, platforms, channels, problems, at
            ),
            pip=lambda entries, at: _pip_entries(doc, entries, problems, at),
        ),
    )
    _check_python_twice(doc, data, conda, problems)
    cuda = _cuda_entries(doc, data.get("cuda", []), problems)
    raw_snapshot = data.get("snapshot")
    if isinstance(raw_snapshot, dict):
        exempt = tuple(sorted(canonicalize_name(n) for n in raw_snapshot.get("exempt", ())))
        snapshot = _snapshot(doc, raw_snapshot["date"], ["snapshot", "date"], problems)
    else:
        exempt = ()
        snapshot = _snapshot(doc, raw_snapshot, ["snapshot"], problems)
    _check_project(doc, data.get("project"), problems)
    if problems:
        return None, problems
    index = data.get("pip-index", {})
    system = data.get("system", {})
    spec = Spec(
        path=doc.path,
        # pip entries read from pyproject.toml: the spec's bytes alone do not tell whether
        # outputs are fresh, so none is recorded and `hybrid check` compares the input hash
        source_sha256="" if isinstance(raw_pip, dict) else doc.source_sha256,
        name=data["name"],
        channels=channels,
        platforms=platforms,
        python=data.get("python"),
        python_location=doc.locate(["python"]) if "python" in data else None,
        cuda_location=doc.locate(["cuda"]) if "cuda" in data else None,
        cuda=cuda,
        conda=tuple(conda),
        pip=tuple(pip),
        pip_index=PipIndex(
            index_url=index.get("index-url"),
            extra_index_urls=tuple(index.get("extra-index-urls", ())),
            find_links=tuple(index.get("find-links", ())),
        ),
        system=System(
            glibc=system.get("glibc"), linux=system.get("linux"), macos=system.get("macos")
        ),
        snapshot=snapshot,
        snapshot_exempt=exempt,
        pip_build=tuple(sorted({canonicalize_name(n) for n in data.get("pip-build", ())})),
        promote=_promote(data.get("promote", "auto")),
        groups=groups,
        project=data.get("project"),
        solver=data.get("solver"),
    )
    return spec, []


def _conda_entries(
    doc: LoadedDocument,
    entries: list[Any],
    platforms: tuple[str, ...],
    channels: tuple[str, ...],
    problems: list[Problem],
    at: tuple[str, ...] = ("conda",),
) -> list[CondaDependency]:
    out: list[CondaDependency] = []
    seen: dict[str, CondaDependency] = {}
    refs = resolve_channels(channels, base_dir=doc.path.parent, mirrors={})
    for index, entry in enumerate(entries):
        text = entry if isinstance(entry, str) else entry["spec"]
        path: list[str | int] = [*at, index] if isinstance(entry, str) else [*at, index, "spec"]
        where = doc.locate(path)
        label = f"{'.'.join(at)}[{index}]"
        try:
            parsed = parse_match_spec(text)
        except MatchSpecSyntaxError as exc:
            problems.append(
                (where, f"{label}: `{text}` is not a valid conda match spec: {_reason(exc)}")
            )
            continue
        only = None if isinstance(entry, str) else entry.get("platforms")
        selected = frozenset(only) if only is not None else None
        if selected is not None and not selected <= set(platforms):
            stray = ", ".join(sorted(selected - set(platforms)))
            problems.append(
                (
                    doc.locate([*at, index, "platforms"]),
                    f"{label}.platforms: {stray} is not among the spec's platforms "
                    f"({', '.join(platforms)})",
                )
            )
        if parsed.channel is not None and not listed_channel(
            parsed.channel, refs, base_dir=doc.path.parent
        ):
            problems.append(
                (
                    where,
                    f"{label}: `{text}` asks for channel `{parsed.channel}`, which is not in "
                    f"`channels`; add it there (channels are used in strict priority)",
                )
            )
        dep = CondaDependency(
            match=parsed,
            platforms=selected,
            field=label,
            location=where,
        )
        twin = seen.get(parsed.name)
        if twin is not None and _overlap(twin, dep):
            problems.append(
                (
                    where,
                    f"{label}: `{parsed.name}` is already requested at {twin.field} "
                    f"(line {twin.location.line}); merge the two into one spec",
                )
            )
        seen[parsed.name] = dep
        out.append(dep)
    return out


def _promote(raw: str | list[str]) -> Promote:
    """`promote:` (schema-valid): `auto`, `off`, or PyPI names that move with `auto`."""
    if isinstance(raw, list):
        return Promote(names=tuple(sorted({canonicalize_name(n) for n in raw})))
    return Promote(mode="off") if raw == "off" else Promote()


def _check_project(doc: LoadedDocument, project: str | None, problems: list[Problem]) -> None:
    """`project:` names a directory with a pyproject.toml, relative to the spec."""
    if project is None:
        return
    directory = (doc.path.parent / project).resolve()
    if not (directory / "pyproject.toml").is_file():
        problems.append(
            (
                doc.locate(["project"]),
                f"project: `{project}` is not a project directory: {directory} has no "
                "pyproject.toml",
            )
        )


def _reason(exc: Exception) -> str:
    """rattler's message on one line: its `Caused by:` lines only when they add something."""
    first, *rest = str(exc).splitlines() or ["invalid"]
    for line in rest:
        cause = line.removeprefix("Caused by:").strip()
        if cause and cause not in first:
            first += f" ({cause})"
    return first




def _cuda_entries(doc: LoadedDocument, raw: Any, problems: list[Problem]) -> tuple[CudaEntry, ...]:
    """`cuda:` as typed entries: one value or a list, each a string or {version, driver, arch}."""
    single = not isinstance(raw, list)
    out: list[CudaEntry] = []
    seen: dict[str, CudaEntry] = {}
    for index, item in enumerate([raw] if single else raw):
        path: list[str | int] = ["cuda"] if single else ["cuda", index]
        label = "cuda" if single else f"cuda[{index}]"
        form = item if isinstance(item, dict) else {"version": item}
        entry = CudaEntry(
            version=str(form["version"]),
            driver=form.get("driver"),
            arch=form.get("arch"),
            field=label,
            location=doc.locate(path),
        )
        if entry.driver is not None and _major(entry.driver) < _major(entry.version):
            problems.append(
                (
                    doc.locate([*path, "driver"]),
                    f"{label}.driver: {entry.driver} cannot run CUDA {entry.version}: a CUDA "
                    f"runtime runs on older drivers only within its major version (minor-"
                    f"version compatibility), so CUDA {entry.version} needs a driver for CUDA "
                    f"{_major(entry.version)}.0 or newer; raise `driver` or lower `version`",
                )
            )
        twin = seen.get(entry.version)
        if twin is not None and twin.location is not None:
            problems.append(
                (
                    entry.location or doc.locate(path),
                    f"{label}: variant `{entry.version}` is already listed at {twin.field} "
                    f"(line {twin.location.line}); one variant per version",
                )
            )
        seen[entry.version] = entry
        out.append(entry)
    return tuple(out)


def _major(version: str) -> int:
    return int(version.split(".")[0])


def _overlap(a: CondaDependency, b: CondaDependency) -> bool:
    if a.platforms is None or b.platforms is None:
        return True
    return bool(a.platforms & b.platforms)


def _pip_entries(
    doc: LoadedDocument,
    entries: list[str],
    problems: list[Problem],
    at: tuple[str, ...] = ("pip",),
) -> list[PipDependency]:
    out: list[PipDependency] = []
    seen: dict[str, PipDependency] = {}
    for index, text in enumerate(entries):
        where = doc.locate([*at, index])
        label = f"{'.'.join(at)}[{index}]"
        try:
            requirement = Requirement(text)
        except InvalidRequirement as exc:
            reason = str(exc).splitlines()[0]
            problems.append(
                (where, f"{label}: `{text}` is not a valid PEP 508 requirement: {reason}")
            )
            continue
        dep = PipDependency(requirement=requirement, field=label, location=where)
        twin = seen.get(dep.name)
        if twin is not None and twin.requirement.marker == requirement.marker:
            problems.append(
                (
                    where,
                    f"{label}: `{dep.name}` is already requested at {twin.field} "
                    f"(line {twin.location.line}); merge the two into one requirement",
                )
            )
        seen[dep.name] = dep
        out.append(dep)
    return out


def _check_pip_platforms(
    doc: LoadedDocument, platforms: tuple[str, ...], has_pip: bool, problems: list[Problem]
) -> None:
    """A spec with pip entries lists only platforms a pip layer can be compiled for."""
    if not has_pip:
        return
    pip_line = doc.locate(["pip"], key=True).line
    problems.extend(
        pip_platform_problems(
            doc,
            platforms,
            layer=f" (`pip:` at line {pip_line})",
            remedy="; remove {platform} from `platforms`, or move the pip entries into `conda:`",
        )
    )


def _check_python_twice(
    doc: LoadedDocument, data: dict[str, Any], conda: list[CondaDependency], problems: list[Problem]
) -> None:
    if "python" not in data:
        return
    for dep in conda:
        if dep.name == "python":
            problems.append(
                (
                    dep.location,
                    f"{dep.field}: `python` is also set by the `python:` key "
                    f"({doc.locate(['python'])}); keep one of the two",
                )
            )


def _snapshot(
    doc: LoadedDocument, value: str | None, path: list[str | int], problems: list[Problem]
) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        label = ".".join(map(str, path))
        problems.append((doc.locate(path), f"{label}: {value!r} is not a valid date: {exc}"))
        return None


def parse_instant(value: str) -> dt.datetime:
    """`2026-06-01` -> 2026-06-01T00:00:00Z; an RFC 3339 instant keeps its offset (naive = UTC)."""
    text = value.strip().replace("Z", "+00:00")
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    instant = dt.datetime.fromisoformat(text)
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.timezone.utc)
