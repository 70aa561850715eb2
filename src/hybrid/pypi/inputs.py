"""What every backend writes to its work directory before it runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from packaging.requirements import Requirement

from hybrid.pypi.model import PinnedDistribution, ProvidedDistribution
from hybrid.pypi.stubs import Bridge, write_bridge


def write_inputs(
    requirements: Sequence[Requirement],
    provided: Mapping[str, ProvidedDistribution],
    workdir: Path,
) -> tuple[Path, Bridge]:
    """``workdir/requirements.in`` (in the given order) and the bridge to the conda layer."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / "requirements.in"
    source.write_text("".join(f"{req}\n" for req in requirements), encoding="utf-8", newline="\n")
    return source, write_bridge(provided.values(), workdir)


def utc_timestamp(moment: datetime) -> str:
    """``moment`` as an RFC 3339 UTC timestamp; a naive datetime is taken to be UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_preferences(
    preferences: Iterable[PinnedDistribution], workdir: Path, path: Path | None = None
) -> Path:
    """Previous pins as a requirements file, which uv and pip-compile read as preferences."""
    target = path if path is not None else workdir / "preferences.txt"
    workdir.mkdir(parents=True, exist_ok=True)
    lines = sorted(f"{pin.name}=={pin.version}" for pin in preferences if pin.url is None)
    target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return target
