"""What a local (`file://`) channel holds for each subdir a solve reads.

conda and rattler both read a platform subdir without repodata as an empty one: conda logs a
403/404 for anything but `noarch` and goes on (`conda/gateways/repodata`, `RepodataIsEmpty`),
and rattler 0.28 does the same, for `file://` channels too (checked: a channel whose
`linux-64/repodata.json` was deleted solves as if it had no linux-64 packages, and fails
with "No candidates were found" or takes them from the next channel). Only a missing
`noarch` is an error in both. A channel may legitimately lack a platform (a channel built
for Linux only has no `osx-arm64/`), so hybrid tells the two apart where it can see them:

* a `<subdir>/` directory without `repodata.json` is a channel that was never indexed or
  was copied in part: an error naming the file (`check_local_subdirs`);
* no `<subdir>/` directory at all, while another platform has repodata, is a channel that
  does not serve that platform: allowed, and said in a notice (`absent_subdirs`).

`repodata.json` is the one file rattler 0.28 reads in a local subdir: with only
`repodata.json.zst` or sharded repodata there it also finds no packages (checked).
A remote channel answers 404 for both cases alike; rattler reads that as empty.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from hybrid.conda.model import SolveRequest
from hybrid.errors import ChannelError
from hybrid.spec.channels import ChannelRef

REPODATA = "repodata.json"
NOARCH = "noarch"
_OTHER_INDEXES = ("repodata.json.zst", "repodata.json.bz2", "repodata_shards.msgpack.zst")


def check_local_subdirs(requests: Sequence[SolveRequest]) -> None:
    """ChannelError naming `<channel>/<subdir>/repodata.json` when a local channel has the
    subdir's directory but not that file (for `noarch` also when the directory is absent)."""
    for ref, path, subdir in _local_subdirs(requests):
        directory = path / subdir
        if (directory / REPODATA).is_file():
            continue
        if directory.is_dir() or subdir == NOARCH:
            raise ChannelError(_missing_message(ref, directory), hint=_hint(directory))


def absent_subdirs(requests: Sequence[SolveRequest]) -> list[tuple[ChannelRef, str]]:
    """(channel, platform) where a local channel has no directory for the platform while
    another platform of it has repodata: nothing for that platform comes from it."""
    found: list[tuple[ChannelRef, str]] = []
    for ref, path, subdir in _local_subdirs(requests):
        if subdir != NOARCH and not (path / subdir).exists() and _serves_platforms(path):
            found.append((ref, subdir))
    return found


def _local_subdirs(requests: Sequence[SolveRequest]) -> Iterator[tuple[ChannelRef, Path, str]]:
    """Each (local channel, its directory, subdir) the requests read, once, in order."""
    seen: set[tuple[str, str]] = set()
    for request in requests:
        for ref in request.channels:
            path = ref.local_path()
            if path is None or not path.is_dir():
                continue
            for subdir in (request.platform, NOARCH):
                if (ref.location_url, subdir) not in seen:
                    seen.add((ref.location_url, subdir))
                    yield ref, path, subdir


def _serves_platforms(path: Path) -> bool:
    return any(
        child.name != NOARCH and (child / REPODATA).is_file()
        for child in path.iterdir()
        if child.is_dir()
    )


def _missing_message(ref: ChannelRef, directory: Path) -> str:
    if directory.is_dir():
        why = f"the {directory.name} directory is there but not its index"
    else:
        why = f"every channel needs a {NOARCH} subdir"
    return f"channel {ref.written!r}: {directory / REPODATA} is missing ({why})"


def _hint(directory: Path) -> str:
    others = [name for name in _OTHER_INDEXES if (directory / name).is_file()]
    if others:
        return (
            f"{directory} has {', '.join(others)} but a local channel is read from "
            f"{REPODATA}; index it again (`rattler-index fs`, `conda index`) to write it"
        )
    hint = "index the channel (`rattler-index fs`, `conda index`) or finish copying it"
    if directory.name == NOARCH:
        return hint
    return f"{hint}; conda and rattler would read the subdir as empty, and lock without it"
