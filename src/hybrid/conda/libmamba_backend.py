"""The libmamba conda solver (libsolv behind mamba and conda's default solver), via libmambapy 2.

The same inputs and outputs as the rattler backend: channels in strict priority (each channel
one priority level, its platform subdir and `noarch` alike), mirrors read in place with the
canonical URLs in the output, the platform's virtual packages as the installed repo, CUDA build
rules as pins (constraints that bind only packages that end up in the solution), snapshots and
`--snapshot-strict` applied to the records before libmamba loads them (`repodata_files`), and
the packages of a previous lock kept where possible (`hybrid update`). No libmamba `Context` is
created; `MAMBA_ROOT_PREFIX` is set to hybrid's cache anyway, so nothing libmamba might write
lands in the interpreter's site-packages.

All libmambapy types stay in this module; the rest of hybrid sees `CondaPackage`.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import rattler

from hybrid.conda.absent import channel_list_cause
from hybrid.conda.local_subdirs import check_local_subdirs
from hybrid.conda.model import CondaPackage, CondaSolution, SolveRequest
from hybrid.conda.order import reachable
from hybrid.conda.repodata_files import (
    NOARCH,
    Keep,
    Record,
    RepodataFiles,
    SubdirRepodata,
    record_date,
)
from hybrid.conda.solver import Solved, SolverOptions
from hybrid.errors import BackendError, ChannelError, CondaUnsatisfiableError
from hybrid.redact import redact
from hybrid.spec.channels import ChannelRef
from hybrid.spec.matchspec import CondaMatchSpec

log = logging.getLogger(__name__)

CHANNEL_ALIAS = "https://conda.anaconda.org"


class LibmambaSolver:
    name = "libmamba"

    def __init__(self, options: SolverOptions) -> None:
        self._options = options
        os.environ.setdefault("MAMBA_ROOT_PREFIX", str(options.cache_dir / "libmamba" / "root"))
        # imported only when this backend is chosen: libmambapy is optional
        self._mamba: Any = importlib.import_module("libmambapy")

    def solve(
        self, requests: Sequence[SolveRequest], *, on_solved: Solved | None = None
    ) -> list[CondaSolution]:
        check_local_subdirs(requests)
        with tempfile.TemporaryDirectory(prefix="hybrid-libmamba-") as scratch:
            files = RepodataFiles(
                cache_dir=self._options.cache_dir,
                offline=self._options.offline,
                scratch=Path(scratch),
            )
            solutions = []
            for request in requests:
                solutions.append(self._solve_one(files, request))
                if on_solved is not None:
                    on_solved(request)
            return solutions

    def release(self) -> None:
        """Nothing is kept between solves: each reads its repodata files again."""

    def _solve_one(self, files: RepodataFiles, request: SolveRequest) -> CondaSolution:
        mamba = self._mamba
        libsolv = mamba.solver.libsolv
        subdirs = _subdirs(files, request, self._constraints(request))
        database = libsolv.Database(
            mamba.specs.ChannelResolveParams(
                platforms={request.platform, NOARCH},
                channel_alias=mamba.specs.CondaURL.parse(CHANNEL_ALIAS),
            )
        )
        levels = len(request.channels)
        for item in subdirs:
            if item.path is None:
                continue
            try:
                repo = database.add_repo_from_repodata_json(
                    path=item.path,
                    url=item.url,
                    channel_id=item.ref.location_url,
                    add_pip_as_python_dependency=libsolv.PipAsPythonDependency.No,
                    package_types=libsolv.PackageTypes.CondaOrElseTarBz2,
                )
            except mamba.MambaNativeException as exc:
                raise ChannelError(
                    f"libmamba cannot load {item.path} ({redact(item.url)}): {exc}"
                ) from None
            priority = levels - request.channels.index(item.ref)
            database.set_repo_priority(repo, libsolv.Priorities(priority=priority, subpriority=0))
        locked = self._locked(database, request)
        installed = [self._virtual(v.name, v.version, v.build) for v in request.virtual_packages]
        database.set_installed_repo(
            database.add_repo_from_packages([*installed, *locked], name="installed")
        )
        outcome = mamba.solver.libsolv.Solver().solve(database, self._request(request))
        if isinstance(outcome, libsolv.UnSolvable):
            raise self._unsatisfiable(database, outcome, request)
        chosen = _solved(mamba, outcome, locked)
        by_url = {f"{item.url}/{fn}": (item, fn) for item in subdirs for fn in item.records}
        by_file = {
            (item.ref.location_url, fn): (item, fn) for item in subdirs for fn in item.records
        }
        packages: dict[str, tuple[CondaPackage, Record]] = {}
        for info in chosen:
            found = by_url.get(info.package_url) or by_file.get((info.channel, info.filename))
            if found is None:
                raise ChannelError(
                    f"libmamba answered {info.name} {info.version} {info.build_string} "
                    f"from {redact(info.package_url)}, which no channel of the request lists"
                )
            item, fn = found
            packages[info.name] = (_to_package(item, fn), item.records[fn])
        kept = reachable([p for p, _ in packages.values()], [m.name for m in request.specs])
        log.debug("libmamba solved %s: %d packages", request.platform, len(kept))
        ordered = install_order({p.name: packages[p.name][1] for p in kept})
        return CondaSolution(request=request, packages=tuple(packages[n][0] for n in ordered))

    def _constraints(self, request: SolveRequest) -> Keep | None:
        """The request's constraints (CUDA build rules) as a record filter: a record a
        constraint refuses can never be in the solution, so it is not loaded at all. (A libmamba
        pin says the same, but libsolv reads a pin's build as POSIX ERE in a legacy spec
        string, where hybrid's build patterns do not survive: the CPU rule refused CPU builds.)
        Matching is libmamba's own (`MatchSpec.contains_except_channel`), hashes included: a
        group locks each base record by its file's hash (`pipeline/group_conda.exact_pin`)."""
        if not request.constraints:
            return None
        specs: dict[str, list[Any]] = {}
        for match in request.constraints:
            specs.setdefault(match.name, []).append(self._match(match))
        package_info = self._mamba.specs.PackageInfo

        def keep(record: Record) -> bool:
            found = specs.get(str(record.get("name")))
            if found is None:
                return True
            info = package_info(
                name=str(record["name"]),
                version=str(record["version"]),
                build_string=str(record["build"]),
                build_number=int(record.get("build_number", 0)),
                sha256=_text(record.get("sha256")) or "",
                md5=_text(record.get("md5")) or "",
            )
            return all(spec.contains_except_channel(info) for spec in found)

        return keep

    def _virtual(self, name: str, version: str, build: str) -> Any:
        return self._mamba.specs.PackageInfo(
            name=name, version=version, build_string=build, platform=NOARCH
        )

    def _locked(self, database: Any, request: SolveRequest) -> list[Any]:
        """The previous lock's records still in the channels, as installed packages: libsolv
        keeps an installed package unless the request needs another."""
        found: dict[str, Any] = {}
        for ref in request.locked:
            spec = self._mamba.specs.MatchSpec.parse(f"{ref.name}=={ref.version}={ref.build}")
            for info in database.packages_matching(spec):
                if info.platform == ref.subdir:
                    found.setdefault(ref.name, info)  # the first channel's, as in a solve
        return list(found.values())

    def _request(self, request: SolveRequest) -> Any:
        solver = self._mamba.solver
        jobs = [solver.Request.Install(self._match(m)) for m in request.specs]
        flags = solver.Request.Flags(
            keep_dependencies=True,
            keep_user_specs=True,
            force_reinstall=False,
            allow_downgrade=True,
            allow_uninstall=True,
            strict_repo_priority=True,
            order_request=True,
        )
        return solver.Request(jobs=jobs, flags=flags)

    def _match(self, match: CondaMatchSpec) -> Any:
        text = _spec_text(match)
        try:
            return self._mamba.specs.MatchSpec.parse(text)
        except Exception as exc:  # libmambapy raises its own native exception types
            raise BackendError(f"libmamba cannot read the match spec `{text}`: {exc}") from None

    def _unsatisfiable(
        self, database: Any, outcome: Any, request: SolveRequest
    ) -> CondaUnsatisfiableError:
        try:
            text = outcome.explain_problems(database, self._mamba.solver.ProblemsMessageFormat())
        except Exception:  # the problem tree could not be built: libsolv's own list then
            text = outcome.problems_to_str(database)
        parse = self._mamba.specs.MatchSpec.parse
        absent = [
            m.name
            for m in request.specs
            if m.channel is None and not database.packages_matching(parse(m.name))
        ]
        return CondaUnsatisfiableError(
            platform=request.platform,
            explanation=_plain(str(text)) + channel_list_cause(request, sorted(set(absent))),
            label=request.label,
        )


def _subdirs(
    files: RepodataFiles, request: SolveRequest, keep: Keep | None
) -> list[SubdirRepodata]:
    return [
        files.subdir(
            ref,
            subdir,
            exclude_newer=request.exclude_newer,
            drop_undated=request.drop_undated,
            keep=keep,
        )
        for ref in request.channels
        for subdir in (request.platform, NOARCH)
    ]


def _solved(mamba: Any, outcome: Any, installed: Sequence[Any]) -> list[Any]:
    """The packages the solution installs, and the installed ones (a previous lock's) it
    leaves in place, without the virtual ones. Whether a kept one is still needed is decided
    afterwards, by what the requested specs reach."""
    solution = mamba.solver.Solution
    chosen: list[Any] = []
    gone: set[str] = set()
    for action in outcome.actions:
        if isinstance(action, solution.Install):
            chosen.append(action.install)
        elif isinstance(action, (solution.Upgrade, solution.Downgrade, solution.Change)):
            chosen.append(action.install)
            gone.add(action.remove.name)
        elif isinstance(action, solution.Reinstall):
            chosen.append(action.what)
            gone.add(action.what.name)
        elif isinstance(action, solution.Remove):
            gone.add(action.remove.name)
    chosen.extend(info for info in installed if info.name not in gone)
    return [info for info in chosen if not info.name.startswith("__")]


def install_order(records: Mapping[str, Record]) -> list[str]:
    """The names in the order the rattler backend gives (rattler's topological sort, which
    also places `noarch: python` packages after python), so either backend writes the same
    files for the same packages."""
    sortable = [
        rattler.PackageRecord(
            name=name,
            version=str(record["version"]),
            build=rattler.BuildString(str(record["build"])),
            build_number=int(record.get("build_number", 0)),
            subdir=str(record.get("subdir") or NOARCH),
            depends=[str(d) for d in record.get("depends", ())],
            noarch=record.get("noarch") if record.get("noarch") in _NOARCH_KINDS else None,
        )
        for name, record in records.items()
    ]
    return [r.name.normalized for r in rattler.PackageRecord.sort_topologically(sortable)]


_NOARCH_KINDS = ("python", "generic")


def _spec_text(match: CondaMatchSpec) -> str:
    """The spec as libmamba parses it. A `^...$` build is a regular expression, which libsolv
    matches as POSIX ERE: `\\d` (hybrid's CUDA build rule says `cu\\d`) becomes `[0-9]`."""
    if match.build is not None and match.build.startswith("^") and match.build.endswith("$"):
        match = replace(match, build=match.build.replace("\\d", "[0-9]"))
    return match.canonical()


def _plain(text: str) -> str:
    """libmamba's explanation without its terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text).strip()


def _to_package(item: SubdirRepodata, fn: str) -> CondaPackage:
    record = item.records[fn]
    ref: ChannelRef = item.ref
    return CondaPackage(
        name=str(record["name"]),
        version=str(record["version"]),
        build=str(record["build"]),
        build_number=int(record.get("build_number", 0)),
        subdir=str(record.get("subdir") or item.subdir),
        channel=ref.canonical_url.rstrip("/"),
        url=ref.to_canonical(f"{item.url}/{fn}"),
        fn=fn,
        md5=_text(record.get("md5")),
        sha256=_text(record.get("sha256")),
        depends=tuple(str(d) for d in record.get("depends", ())),
        constrains=tuple(str(c) for c in record.get("constrains", ())),
        timestamp=record_date(record),
        size=_int(record.get("size")),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None
