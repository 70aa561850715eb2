"""Compare a prefix with the lock it should match: `conda-<platform>.lock`, `requirements.txt`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from packaging.version import InvalidVersion, Version

from hybrid.conda.explicit import ExplicitEntry
from hybrid.doctor.advice import CONDA_NOT_LOCKED, PIP_NOT_LOCKED, RECREATE_FROM_LOCK
from hybrid.doctor.conda_meta import CondaRecord
from hybrid.doctor.model import (
    CONDA_DIFFERS,
    CONDA_MISSING,
    CONDA_NOT_IN_LOCK,
    PIP_DIFFERS,
    PIP_MISSING,
    PIP_NOT_IN_LOCK,
    Finding,
)
from hybrid.emit.layout import (
    REQUIREMENTS_TXT,
    explicit_filename,
    group_explicit_filename,
    group_requirements_filename,
)
from hybrid.errors import UsageError
from hybrid.prefix.distributions import InstalledDistribution
from hybrid.readback.explicit import read_explicit
from hybrid.readback.requirements import LockedPin, read_pins


def conda_lock_findings(
    lock_dir: Path, platform: str, records: Sequence[CondaRecord], group: str | None = None
) -> list[Finding]:
    """Conda packages installed but not locked, locked at another build, or locked but absent;
    with a dependency `group`, against its `conda-<platform>.<group>.lock` (base and group)."""
    path = lock_dir / (
        explicit_filename(platform) if group is None else group_explicit_filename(platform, group)
    )
    if not path.is_file():
        variants = sorted(p.name for p in lock_dir.iterdir() if (p / path.name).is_file()) \
            if lock_dir.is_dir() else []
        raise UsageError(
            f"--lock {lock_dir}: no {path.name} there",
            hint=f"variants are in subdirectories: {', '.join(variants)}" if variants
            else "pass the directory `hybrid solve` wrote the outputs to",
        )
    locked = {entry.name: entry for entry in read_explicit(path).entries}
    installed = {record.name: record for record in records}
    findings = []
    for name, record in installed.items():
        entry = locked.get(name)
        if entry is None:
            findings.append(Finding(
                code=CONDA_NOT_IN_LOCK, subject=name,
                reason=f"conda's {record.label} is installed but not in {path.name}",
                fix=CONDA_NOT_LOCKED))
        elif (entry.version, entry.build) != (record.version, record.build):
            findings.append(Finding(
                code=CONDA_DIFFERS, subject=name,
                reason=f"{record.label} is installed, {path.name} has "
                f"{entry.version} ({entry.build})",
                fix=RECREATE_FROM_LOCK))
    findings += [_missing_conda(entry, path.name) for name, entry in sorted(locked.items())
                 if name not in installed]
    return findings


def _missing_conda(entry: ExplicitEntry, lock_name: str) -> Finding:
    return Finding(code=CONDA_MISSING, subject=entry.name,
                   reason=f"{entry.name} {entry.version} ({entry.build}) is in {lock_name} "
                   "but not installed",
                   fix=RECREATE_FROM_LOCK)


def pip_lock_findings(
    lock_dir: Path,
    dists: Iterable[InstalledDistribution],
    markers: Mapping[str, str] | None,
    group: str | None = None,
) -> list[Finding]:
    """Distributions not installed by conda compared with the pins of `requirements.txt`
    (and of `requirements-<group>.txt` with a dependency `group`)."""
    names = [REQUIREMENTS_TXT] + ([] if group is None else [group_requirements_filename(group)])
    pins = {
        pin.name: pin
        for path in (lock_dir / name for name in names)
        if path.is_file()
        for pin in read_pins(path, markers)
    }
    installed = {dist.name: dist for dist in dists}
    findings = []
    for name, dist in sorted(installed.items()):
        pin = pins.get(name)
        if pin is None and dist.editable:
            continue  # the lab's own project, installed editable (`project:`): never locked
        if pin is None:
            findings.append(Finding(
                code=PIP_NOT_IN_LOCK, subject=dist.display_name,
                reason=f"{dist.label} ({dist.installer or 'unknown installer'}) is installed "
                f"but not in {REQUIREMENTS_TXT}",
                fix=PIP_NOT_LOCKED))
        elif pin.version is not None and not _same(dist.version, pin.version):
            findings.append(Finding(
                code=PIP_DIFFERS, subject=dist.display_name,
                reason=f"{dist.label} is installed, {REQUIREMENTS_TXT} pins {pin.version}",
                fix=RECREATE_FROM_LOCK))
    findings += [_missing_pip(pin) for name, pin in sorted(pins.items()) if name not in installed]
    return findings


def _missing_pip(pin: LockedPin) -> Finding:
    return Finding(code=PIP_MISSING, subject=pin.name,
                   reason=f"{pin.label} is in {REQUIREMENTS_TXT} but not installed",
                   fix=RECREATE_FROM_LOCK)


def _same(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b
