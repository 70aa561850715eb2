"""Checks of a prefix that need no lock: pip over conda, duplicates, conda files gone."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name

from hybrid.doctor.advice import CONDA_FILES_GONE, DUPLICATE_COPIES, conda_provides
from hybrid.doctor.conda_meta import CondaRecord
from hybrid.doctor.model import CONDA_FILES_MISSING, DUPLICATE, PIP_OVER_CONDA, Finding
from hybrid.mapping import CondaPypiMapping, depends_on_python
from hybrid.prefix.distributions import InstalledDistribution

_METADATA_DIRS = (".dist-info", ".egg-info")


def relative(path: Path, prefix: Path) -> str:
    """`path` relative to `prefix`, POSIX style, as conda-meta lists files."""
    return os.path.relpath(path, prefix).replace(os.sep, "/")


class Ownership:
    """Which conda package owns which file and which Python distribution."""

    def __init__(self, records: Sequence[CondaRecord], mapping: CondaPypiMapping) -> None:
        self.by_file = {f: r for r in records for f in r.files}
        self.dist_dirs: dict[str, CondaRecord] = {}
        self.by_dist: dict[NormalizedName, CondaRecord] = {}
        for file, record in self.by_file.items():
            directory = _metadata_dir(file)
            if directory is not None:
                self.dist_dirs.setdefault(directory, record)
                name = canonicalize_name(directory.rsplit("/", 1)[-1].split("-", 1)[0])
                self.by_dist.setdefault(name, record)
        self.provided: dict[NormalizedName, CondaRecord] = {}
        for record in records:
            python = depends_on_python(record.depends)
            for name in mapping.installs(record.name, depends_on_python=python).names:
                self.provided.setdefault(name, record)

    def conda_owns(self, name: str) -> bool:
        """Whether conda installs or provides the distribution `name`."""
        key = canonicalize_name(name)
        return key in self.by_dist or key in self.provided

    def owner_of_dist(self, dist: InstalledDistribution, prefix: Path) -> CondaRecord | None:
        """The conda package whose files include `dist`'s metadata directory, if any."""
        return self.dist_dirs.get(relative(dist.path, prefix))


def installer_label(dist: InstalledDistribution, owner: CondaRecord | None) -> str:
    if owner is not None:
        return "conda"
    return dist.installer or "an unknown installer"


def pip_over_conda(
    prefix: Path, dists: Iterable[InstalledDistribution], ownership: Ownership
) -> list[Finding]:
    """Distributions not installed by conda that replace or duplicate a conda package's."""
    findings = []
    for dist in dists:
        if ownership.owner_of_dist(dist, prefix) is not None:
            continue
        for record, evidence in _evidence(prefix, dist, ownership).items():
            who = installer_label(dist, None)
            findings.append(Finding(
                code=PIP_OVER_CONDA,
                subject=dist.display_name,
                reason=f"{who} installed {dist.label} over conda's {record.label}: {evidence}",
                fix=conda_provides(dist.display_name),
            ))
    return findings


def _evidence(
    prefix: Path, dist: InstalledDistribution, ownership: Ownership
) -> dict[CondaRecord, str]:
    found: dict[CondaRecord, list[str]] = {}
    same_name = ownership.by_dist.get(dist.name)
    if same_name is not None:
        found.setdefault(same_name, []).append("conda installs the same distribution")
    overwritten: dict[CondaRecord, int] = {}
    for path in dist.record_paths():
        owner = ownership.by_file.get(relative(path, prefix))
        if owner is not None:
            overwritten[owner] = overwritten.get(owner, 0) + 1
    for record, count in overwritten.items():
        found.setdefault(record, []).append(f"{count} of its files are conda's")
    provider = ownership.provided.get(dist.name)
    if provider is not None and provider not in found:
        found[provider] = [f"conda's {provider.name} provides {dist.name}"]
    return {record: "; ".join(reasons) for record, reasons in found.items()}


def duplicates(
    prefix: Path, dists: Iterable[InstalledDistribution], ownership: Ownership
) -> list[Finding]:
    """One finding per distribution name with more than one metadata directory."""
    groups: dict[NormalizedName, list[InstalledDistribution]] = {}
    for dist in dists:
        groups.setdefault(dist.name, []).append(dist)
    findings = []
    for name, group in sorted(groups.items()):
        if len(group) < 2:
            continue
        copies = ", ".join(
            f"{d.path.name} ({installer_label(d, ownership.owner_of_dist(d, prefix))})"
            for d in group
        )
        findings.append(Finding(
            code=DUPLICATE,
            subject=name,
            reason=f"{name} is installed {len(group)} times: {copies}",
            fix=DUPLICATE_COPIES,
        ))
    return findings


def conda_files_missing(prefix: Path, records: Iterable[CondaRecord]) -> list[Finding]:
    """Conda packages some of whose files are gone (often: pip uninstalled them)."""
    findings = []
    for record in records:
        missing = sorted(f for f in record.files if not os.path.lexists(prefix / f))
        if missing:
            findings.append(Finding(
                code=CONDA_FILES_MISSING,
                subject=record.name,
                reason=f"{len(missing)} of {len(record.files)} files of conda's {record.label} "
                f"are gone, e.g. {missing[0]}",
                fix=CONDA_FILES_GONE,
            ))
    return findings


def _metadata_dir(file: str) -> str | None:
    parts = file.split("/")
    for index, part in enumerate(parts[:-1]):
        if part.endswith(_METADATA_DIRS):
            return "/".join(parts[: index + 1])
    return None
