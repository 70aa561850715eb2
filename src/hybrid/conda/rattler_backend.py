"""The default conda solver: py-rattler (resolvo), the engine behind pixi.

All rattler types stay in this module; the rest of hybrid sees `CondaPackage`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Sequence
from typing import Literal

import rattler
from rattler.exceptions import (
    FetchRepoDataError,
    GatewayError,
    InvalidChannelError,
    IoError,
    SolverError,
)
from rattler.networking import AuthenticationMiddleware

from hybrid.conda.absent import channel_list_cause
from hybrid.conda.local_subdirs import check_local_subdirs
from hybrid.conda.model import CondaPackage, CondaSolution, SolveRequest
from hybrid.conda.solver import Solved, SolverOptions
from hybrid.conda.virtual import VirtualPackage
from hybrid.errors import ChannelError, CondaUnsatisfiableError
from hybrid.redact import redact
from hybrid.spec.channels import ChannelRef
from hybrid.spec.matchspec import CondaMatchSpec

log = logging.getLogger(__name__)

# Records without a timestamp are kept under a snapshot unless the request drops them
# (`--snapshot-strict`): many predate the field (2017 and earlier on conda-forge), but in the
# real snapshot a 2024-06-01 solve of python 3.11 + numpy kept 17 undated records, among them
# libgcc 16.1 and setuptools 84, which are years newer than the date.
TimestampPolicy = Literal["allow-missing", "require-timestamp"]


class RattlerSolver:
    name = "rattler"

    def __init__(self, options: SolverOptions) -> None:
        self._options = options
        self._kept: rattler.Gateway | None = None  # with `reuse_gateway`, until `release()`
        self._keeping = threading.Lock()

    def solve(
        self, requests: Sequence[SolveRequest], *, on_solved: Solved | None = None
    ) -> list[CondaSolution]:
        _check_local_channels(requests)
        check_local_subdirs(requests)
        outcomes = asyncio.run(self._solve_all(requests, on_solved))
        # rattler's objects (gateway, records) must be freed while the interpreter is alive:
        # freed during shutdown, their native threads crash the process (exit 134/139). A kept
        # gateway is freed by `release()`, which collects then: a collection per solve of a
        # batch took 0.36 s each once the batch's heap had grown.
        if not self._options.reuse_gateway:
            gc.collect()
        # Report the first failure in request (spec) order, not whichever solve failed first.
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return [outcome for outcome in outcomes if isinstance(outcome, CondaSolution)]

    def release(self) -> None:
        """Drop the reused gateway and free it now, while the interpreter is alive."""
        with self._keeping:
            self._kept = None
        gc.collect()

    async def _solve_all(
        self, requests: Sequence[SolveRequest], on_solved: Solved | None
    ) -> list[CondaSolution | BaseException]:
        gateway = self._gateway()

        async def one(request: SolveRequest) -> CondaSolution:
            solution = await self._solve_one(gateway, request)
            if on_solved is not None:
                on_solved(request)
            return solution

        tasks = [one(request) for request in requests]
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        return [_detached(o) if isinstance(o, BaseException) else o for o in outcomes]

    def _gateway(self) -> rattler.Gateway:
        """A fresh gateway per solve, or with `reuse_gateway` the one kept across solves (and
        threads: rattler's gateway reads each subdir once for all its concurrent users)."""
        if not self._options.reuse_gateway:
            return self._new_gateway()
        with self._keeping:
            if self._kept is None:
                self._kept = self._new_gateway()
            return self._kept

    def _new_gateway(self) -> rattler.Gateway:
        action: Literal["force-cache-only", "cache-or-fetch"] = (
            "force-cache-only" if self._options.offline else "cache-or-fetch"
        )
        cache = self._options.cache_dir / "repodata"
        cache.mkdir(parents=True, exist_ok=True)
        # Authenticate from rattler's credential store (RATTLER_AUTH_FILE, keyring,
        # ~/.rattler/credentials.json, netrc), so a channel needs no credentials in its URL.
        # No retry middleware: as before, an unreachable channel fails at once (exit 5)
        # instead of after seconds of backoff.
        return rattler.Gateway(
            cache_dir=cache,
            default_config=rattler.SourceConfig(cache_action=action),
            client=rattler.Client([AuthenticationMiddleware()]),
        )

    async def _solve_one(self, gateway: rattler.Gateway, request: SolveRequest) -> CondaSolution:
        channels = [rattler.Channel(ref.location_url) for ref in request.channels]
        try:
            records = await rattler.solve(
                channels,
                [_rattler_spec(m) for m in request.specs],
                constraints=[_rattler_spec(m) for m in request.constraints],
                gateway=gateway,
                platforms=_subdirs(request.platform),
                virtual_packages=[_virtual(v) for v in request.virtual_packages],
                channel_priority=rattler.ChannelPriority.Strict,
                exclude_newer=request.exclude_newer,
                timestamp_policy=_timestamp_policy(request),
                locked_packages=await _locked(gateway, channels, request),
            )
        except SolverError as exc:
            absent = await _absent_names(gateway, channels, request)
            raise CondaUnsatisfiableError(
                platform=request.platform,
                explanation=_solver_message(exc) + channel_list_cause(request, absent),
                label=request.label,
            ) from None
        except (FetchRepoDataError, GatewayError, InvalidChannelError, IoError) as exc:
            raise ChannelError(self._channel_message(request, exc)) from None
        await _check_strict_priority(gateway, channels, request, records)
        by_name = {record.name.normalized: record for record in records}
        ordered = rattler.PackageRecord.sort_topologically(list(records))
        packages = tuple(
            _to_package(by_name[record.name.normalized], request.channels) for record in ordered
        )
        log.debug("solved %s: %d packages", request.platform, len(packages))
        return CondaSolution(request=request, packages=packages)

    def _channel_message(self, request: SolveRequest, exc: Exception) -> str:
        text = redact(str(exc).strip())
        where = ", ".join(redact(ref.location_url) for ref in request.channels)
        if self._options.offline:
            return (
                f"offline: the repodata cache has no usable copy of a channel for "
                f"{request.platform} ({where}); run once without --offline. Details: {text}"
            )
        return f"cannot read channel repodata for {request.platform} ({where}): {text}"


async def _check_strict_priority(
    gateway: rattler.Gateway,
    channels: list[rattler.Channel],
    request: SolveRequest,
    records: Sequence[rattler.RepoDataRecord],
) -> None:
    """Refuse a direct spec's package taken from a channel below the first one that has it.

    rattler reads only the records that match a direct spec, so for `pkg >=2` a higher-priority
    channel holding only `pkg 1.0` goes unseen and `pkg 2.0` silently comes from a lower one,
    while the same requirement reached through a dependency is refused. Strict priority means
    the first channel with a name owns it, for direct specs too.
    """
    direct: dict[str, str] = {}
    for match in request.specs:
        if match.channel is None:
            direct.setdefault(match.name, str(match))
    solved = [r for r in records if r.name.normalized in direct]
    if not solved:
        return
    names = sorted({r.name.normalized for r in solved})
    found = await gateway.query(channels, _subdirs(request.platform), names, recursive=False)
    # One list per channel and subdir: place each record by its channel instead.
    versions: dict[tuple[str, int], set[str]] = {}
    for per_source in found:
        for candidate in per_source:
            index = _channel_index(request.channels, candidate.channel)
            if index is not None:
                key = (candidate.name.normalized, index)
                versions.setdefault(key, set()).add(str(candidate.version))
    for record in solved:
        name = record.name.normalized
        used = _channel_index(request.channels, record.channel)
        first = min((i for n, i in versions if n == name), default=None)
        if used is None or first is None or first >= used:
            continue
        owner = request.channels[first]
        listed = sorted(versions[(name, first)], key=rattler.Version)
        raise CondaUnsatisfiableError(
            platform=request.platform,
            explanation=(
                f"{direct[name]} cannot be installed because of strict channel priority: "
                f"{name} comes from {owner.name}, the first channel that has it "
                f"(versions {', '.join(listed[-5:])}), and none of those fits; "
                f"{name} {record.version} from {request.channels[used].name} is not used"
            ),
            label=request.label,
        )


async def _absent_names(
    gateway: rattler.Gateway, channels: list[rattler.Channel], request: SolveRequest
) -> list[str]:
    """Requested names that no channel has at all for this platform (any version, any build):
    the channel list is the cause, not the constraints."""
    names = sorted({m.name for m in request.specs})
    found = await gateway.query(channels, _subdirs(request.platform), names, recursive=False)
    present = {record.name.normalized for per_source in found for record in per_source}
    return [name for name in names if name not in present]


def _channel_index(refs: Sequence[ChannelRef], channel: str | None) -> int | None:
    for index, ref in enumerate(refs):
        if channel is not None and ref.reads_from(channel):
            return index
    return None


def _timestamp_policy(request: SolveRequest) -> TimestampPolicy:
    return "require-timestamp" if request.drop_undated else "allow-missing"


def _rattler_spec(match: CondaMatchSpec) -> rattler.MatchSpec:
    return rattler.MatchSpec(match.canonical(), strict=True)


def _detached(error: BaseException) -> BaseException:
    """The error without traceback or context: nothing in it keeps rattler objects alive."""
    error.__traceback__ = None
    error.__context__ = None
    error.__cause__ = None
    return error


def _subdirs(platform: str) -> list[rattler.Subdir]:
    return [rattler.Subdir(platform), rattler.Subdir("noarch")]


def _check_local_channels(requests: Sequence[SolveRequest]) -> None:
    """A `file://` channel that is not a directory fails here, named, before any solve."""
    seen: set[str] = set()
    for request in requests:
        for ref in request.channels:
            path = ref.local_path()
            if path is None or ref.location_url in seen:
                continue
            seen.add(ref.location_url)
            if not path.is_dir():
                via = "" if ref.location_url == ref.canonical_url else " (its --mirror location)"
                raise ChannelError(
                    f"channel {redact(ref.written)!r}: the directory {path}{via} does not exist"
                )


def _virtual(package: VirtualPackage) -> rattler.GenericVirtualPackage:
    return rattler.GenericVirtualPackage(
        rattler.PackageName(package.name),
        rattler.Version(package.version),
        rattler.BuildString(package.build),
    )


async def _locked(
    gateway: rattler.Gateway, channels: list[rattler.Channel], request: SolveRequest
) -> list[rattler.RepoDataRecord]:
    """Repodata records for the locked packages still present in the channels."""
    if not request.locked:
        return []
    wanted = {(p.name, p.version, p.build, p.subdir) for p in request.locked}
    names = sorted({p.name for p in request.locked})
    found = await gateway.query(channels, _subdirs(request.platform), names, recursive=False)
    return [
        record
        for per_channel in found
        for record in per_channel
        if (record.name.normalized, str(record.version), str(record.build), record.subdir) in wanted
    ]


def _to_package(record: rattler.RepoDataRecord, channels: Sequence[ChannelRef]) -> CondaPackage:
    url, channel = record.url, record.channel
    for ref in channels:
        canonical = ref.to_canonical(url)
        if canonical != url or ref.location_url.rstrip("/") == channel.rstrip("/"):
            url, channel = canonical, ref.canonical_url
            break
    return CondaPackage(
        name=record.name.normalized,
        version=str(record.version),
        build=str(record.build),
        build_number=record.build_number,
        subdir=record.subdir,
        channel=channel.rstrip("/"),
        url=url,
        fn=record.file_name,
        md5=record.md5.hex() if record.md5 else None,
        sha256=record.sha256.hex() if record.sha256 else None,
        depends=tuple(record.depends),
        constrains=tuple(record.constrains),
        # what a snapshot dates the record by: its build time, else when it was indexed
        timestamp=record.timestamp or record.indexed_timestamp,
        size=record.size,
    )


def _solver_message(exc: SolverError) -> str:
    text = str(exc).strip()
    prefix = "Cannot solve the request because of: "
    return text[len(prefix) :] if text.startswith(prefix) else text
