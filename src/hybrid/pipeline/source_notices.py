"""What a solve says about where its records come from: sources read over plain http, local
channels without a platform's subdir, and conda records a snapshot cannot date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from hybrid.conda.local_subdirs import absent_subdirs
from hybrid.conda.model import CondaPackage, CondaSolution
from hybrid.redact import redact
from hybrid.spec.model import Spec

_TAMPERING = "what it serves can be changed in transit"


def plain_http_notices(spec: Spec, solutions: Sequence[CondaSolution]) -> list[str]:
    """One notice per channel location and pip index or find-links URL that is plain http:
    the lock takes its hashes from what those serve, so a changed answer is locked as is."""
    channels = dict.fromkeys(
        ref.location_url for solution in solutions for ref in solution.request.channels
    )
    notices = [
        f"channel {redact(url)} is read over plain http: {_TAMPERING}, and the lock's "
        "hashes come from its repodata; use https"
        for url in channels
        if _is_plain_http(url)
    ]
    if spec.pip or any(group.pip for group in spec.groups):
        index = spec.pip_index
        urls = [index.index_url or "", *index.extra_index_urls, *index.find_links]
        notices.extend(
            f"pip index {redact(url)} is read over plain http: {_TAMPERING}, and the "
            "lock's hashes come from it; use https"
            for url in dict.fromkeys(urls)
            if _is_plain_http(url)
        )
    return notices


def absent_subdir_notices(solutions: Sequence[CondaSolution]) -> list[str]:
    """Local channels that serve other platforms but not one the spec solves for."""
    by_channel: dict[str, list[str]] = {}
    for ref, platform in absent_subdirs([s.request for s in solutions]):
        if platform not in by_channel.setdefault(ref.name, []):  # a group solves it again
            by_channel[ref.name].append(platform)
    return [
        f"channel {name} has no {', '.join(platforms)} subdir (it has other platforms): "
        f"on {', '.join(platforms)} only its noarch packages can be used"
        for name, platforms in by_channel.items()
    ]


def undated_notices(spec: Spec, solutions: Iterable[CondaSolution]) -> list[str]:
    """Count and name the locked conda records without a timestamp, which a snapshot
    cannot exclude (`--snapshot-strict` leaves them out)."""
    if spec.snapshot is None:
        return []
    undated = {_label(p) for s in solutions for p in s.packages if p.timestamp is None}
    if not undated:
        return []
    return [
        f"snapshot {spec.snapshot.isoformat()}: {len(undated)} conda record(s) in the lock "
        f"have no timestamp, so the snapshot cannot date them and keeps them: "
        f"{', '.join(sorted(undated))}; --snapshot-strict leaves such records out"
    ]


def _label(package: CondaPackage) -> str:
    return f"{package.name} {package.version} ({package.subdir})"


def _is_plain_http(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() == "http"


def source_notices(spec: Spec, solutions: Sequence[CondaSolution]) -> list[str]:
    """Every notice of this module for the solved conda layer of all variants."""
    return [
        *plain_http_notices(spec, solutions),
        *absent_subdir_notices(solutions),
        *undated_notices(spec, solutions),
    ]
