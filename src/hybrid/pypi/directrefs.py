"""Pin direct references (``name @ url``): their version, and the commit a git ref names.

Compiled requirement files give a direct reference without its version, and pip-compile
leaves a git ref (``@v1.2``) unresolved. pip's installation report (``pip install --dry-run
--report``, a documented JSON format) has both: the distribution's metadata and, for a
VCS URL, the commit the ref resolved to. ``--dry-run`` and ``--report`` came with pip 22.2,
so hybrid declares ``pip>=22.2`` (`PIP_REQUIREMENT`, in pyproject.toml too) and checks the
pip of its own interpreter before running it.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from packaging.requirements import Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from hybrid.errors import BackendError
from hybrid.pypi.model import IndexOptions
from hybrid.pypi.process import PIP_TRANSPORT_SETTINGS, clean_environment, run
from hybrid.redact import redact

#: The pip this module runs (``python -m pip`` of hybrid's interpreter); a dependency of hybrid.
PIP_REQUIREMENT = Requirement("pip>=22.2")


@dataclass(frozen=True, kw_only=True, slots=True)
class DirectPin:
    """A direct reference pinned: its version, the URL to install it from, archive hashes."""

    version: Version
    url: str
    hashes: tuple[str, ...]


def pip_environment(index: IndexOptions) -> dict[str, str]:
    """The environment for pip (and pip-compile): no config files, only ``index``."""
    extra = {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INPUT": "1"}
    if index.index_url:
        extra["PIP_INDEX_URL"] = index.index_url
    if index.extra_index_urls:
        extra["PIP_EXTRA_INDEX_URL"] = " ".join(index.extra_index_urls)
    return clean_environment(drop_prefix="PIP_", keep=PIP_TRANSPORT_SETTINGS, extra=extra)


def pin_direct_references(
    requirements: Sequence[Requirement], index: IndexOptions, *, workdir: Path
) -> Mapping[NormalizedName, DirectPin]:
    """Pin each direct reference in ``requirements`` (other requirements are ignored).

    A wheel or sdist URL is pinned from its file name (it may be another platform's); a VCS
    URL or a folder is asked of pip, without dependencies.
    """
    pins: dict[NormalizedName, DirectPin] = {}
    direct: list[Requirement] = []
    for req in requirements:
        if not req.url:
            continue
        version = _archive_version(req.url)
        if version is None:
            direct.append(req)
        else:
            pins[canonicalize_name(req.name)] = DirectPin(version=version, url=req.url, hashes=())
    if not direct:
        return pins
    check_pip()
    report = workdir / "direct-references.json"
    command = [
        sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps",
        "--ignore-requires-python", "--quiet", "--report", str(report),
        *(f"--find-links={link}" for link in index.find_links),
        *(_requirement_text(req) for req in direct),
    ]
    finished = run(command, cwd=workdir, env=pip_environment(index), tool="pip")
    if finished.returncode != 0:
        raise BackendError(
            "pip could not read the direct references "
            + ", ".join(redact(str(req)) for req in direct),
            hint=finished.stderr.strip()[-2000:] or None,
        )
    pins.update(_read_report(json.loads(report.read_text(encoding="utf-8"))))
    return pins


def check_pip(installed: str | None = None) -> None:
    """BackendError unless the pip of hybrid's interpreter (or `installed`, a version) meets
    `PIP_REQUIREMENT`: an older pip fails on ``--report`` with an unhelpful usage error."""
    if installed is None:
        try:
            installed = importlib.metadata.version("pip")
        except importlib.metadata.PackageNotFoundError:
            installed = None
    if installed is not None and PIP_REQUIREMENT.specifier.contains(installed, prereleases=True):
        return
    found = f"pip {installed}" if installed else "no pip"
    raise BackendError(
        f"direct references are pinned with {PIP_REQUIREMENT}, and {sys.executable} has {found}",
        hint=f"install hybrid's dependencies again, e.g. `{sys.executable} -m pip install "
        f"'{PIP_REQUIREMENT}'`",
    )


def _archive_version(url: str) -> Version | None:
    """The version in a wheel or sdist file name; None for anything else (VCS, a folder)."""
    filename = urlsplit(url).path.rsplit("/", 1)[-1]
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        if filename.endswith((".tar.gz", ".zip")):
            return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def _requirement_text(req: Requirement) -> str:
    # Markers were already evaluated by the resolver; pip must not drop the line again.
    return f"{req.name} @ {req.url}"


def _read_report(report: Mapping[str, Any]) -> dict[NormalizedName, DirectPin]:
    pins: dict[NormalizedName, DirectPin] = {}
    for item in report.get("install", []):
        name = canonicalize_name(str(item["metadata"]["name"]))
        try:
            version = Version(str(item["metadata"]["version"]))
        except InvalidVersion as exc:
            raise BackendError(f"direct reference {name} has an invalid version: {exc}") from exc
        pins[name] = DirectPin(version=version, **_location(item["download_info"]))
    return pins


def _location(info: Mapping[str, Any]) -> dict[str, Any]:
    url = str(info["url"])
    if "vcs_info" in info:
        vcs = info["vcs_info"]
        url = f"{vcs['vcs']}+{url}@{vcs['commit_id']}"
    if info.get("subdirectory"):
        url += f"#subdirectory={info['subdirectory']}"
    archive = info.get("archive_info", {})
    hashes = tuple(sorted(f"{algo}:{value}" for algo, value in archive.get("hashes", {}).items()
                          if algo == "sha256"))
    return {"url": url, "hashes": hashes}
