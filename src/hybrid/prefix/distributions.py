"""The Python distributions in site-packages, read from their metadata directories.

Read from the files, never by importing: `*.dist-info` (METADATA, INSTALLER, RECORD,
top_level.txt) and legacy `*.egg-info` (PKG-INFO). Used after an install to check the pip
layer and by `hybrid doctor` to audit a prefix.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath

from packaging.utils import NormalizedName, canonicalize_name

_SKIPPED_TOP = ("__pycache__", "..")
_EXTENSION_SUFFIXES = (".so", ".pyd")


@dataclass(frozen=True, kw_only=True, slots=True)
class InstalledDistribution:
    """One `*.dist-info` / `*.egg-info` in a site-packages directory."""

    name: NormalizedName
    display_name: str
    version: str
    path: Path
    installer: str | None

    @property
    def site_dir(self) -> Path:
        return self.path.parent

    @property
    def label(self) -> str:
        return f"{self.display_name} {self.version}"

    @property
    def editable(self) -> bool:
        """Installed editable from a local directory (PEP 610 `direct_url.json`): the lab's
        own project (`project:`), which no lock pins."""
        text = _read(self.path / "direct_url.json")
        if text is None:
            return False
        try:
            found = json.loads(text)
        except ValueError:
            return False
        info = found.get("dir_info") if isinstance(found, dict) else None
        return isinstance(info, dict) and info.get("editable") is True

    def record_paths(self) -> list[Path]:
        """The files RECORD lists, as absolute paths (normalized, links not resolved)."""
        text = _read(self.path / "RECORD")
        if text is None:
            return []
        paths = []
        for row in csv.reader(io.StringIO(text)):
            if row and row[0]:
                paths.append(Path(os.path.normpath(self.site_dir / row[0])))
        return paths

    def top_level_modules(self) -> tuple[str, ...]:
        """Importable top-level names: `top_level.txt`, else derived from RECORD."""
        listed = _read(self.path / "top_level.txt")
        if listed is not None:
            names = {line.strip().split("/")[0] for line in listed.splitlines()}
        else:
            names = set(_modules_from_record(self))
        return tuple(sorted(n for n in names if n.isidentifier()))


def scan(site_dirs: Iterable[Path]) -> list[InstalledDistribution]:
    """Every distribution in `site_dirs`, sorted by name, version and path."""
    found: list[InstalledDistribution] = []
    for site in dict.fromkeys(site_dirs):
        if not site.is_dir():
            continue
        for entry in sorted(site.iterdir()):
            dist = read_distribution(entry)
            if dist is not None:
                found.append(dist)
    return sorted(found, key=lambda d: (d.name, d.version, str(d.path)))


def read_distribution(path: Path) -> InstalledDistribution | None:
    """The distribution a metadata directory describes; None for anything else."""
    if path.name.endswith(".dist-info") and path.is_dir():
        metadata = _read(path / "METADATA")
    elif path.name.endswith(".egg-info"):
        metadata = _read(path / "PKG-INFO") if path.is_dir() else _read(path)
    else:
        return None
    headers = HeaderParser().parsestr(metadata or "")
    stem = path.name.rsplit(".", 1)[0]
    name = headers.get("Name") or stem.split("-")[0]
    version = headers.get("Version") or (stem.split("-")[1] if "-" in stem else "")
    installer = _read(path / "INSTALLER") if path.is_dir() else None
    return InstalledDistribution(
        name=canonicalize_name(name),
        display_name=name,
        version=version,
        path=path,
        installer=(installer.strip() or None) if installer is not None else None,
    )


def _modules_from_record(dist: InstalledDistribution) -> Iterable[str]:
    site = dist.site_dir
    for path in dist.record_paths():
        try:
            parts = PurePosixPath(path.relative_to(site).as_posix()).parts
        except ValueError:  # outside site-packages: scripts, data files
            continue
        if not parts or parts[0] in _SKIPPED_TOP or parts[0].endswith(
            (".dist-info", ".data", ".egg-info")
        ):
            continue
        if len(parts) > 1:
            yield parts[0]
        elif parts[0].endswith(".py"):
            yield parts[0][: -len(".py")]
        elif parts[0].endswith(_EXTENSION_SUFFIXES):
            yield parts[0].split(".", 1)[0]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:  # missing, a directory, unreadable: no such metadata
        return None
