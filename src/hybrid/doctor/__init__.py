"""doctor/: audit an existing environment for what breaks conda-first / pip-last.

`diagnose(prefix)` reads `conda-meta/` and the metadata directories in site-packages (and
runs `pip check` in the environment's interpreter when it has one); with `lock_dir` it also
compares the prefix with `conda-<platform>.lock` and `requirements.txt`. It returns a
`DoctorReport`; it raises only for a prefix that is not an environment (UsageError).
"""

from __future__ import annotations

import logging
from pathlib import Path

from hybrid.doctor.advice import pip_check_fix, reconcile
from hybrid.doctor.checks import (
    Ownership,
    conda_files_missing,
    duplicates,
    pip_over_conda,
)
from hybrid.doctor.conda_meta import read_conda_meta
from hybrid.doctor.gpu import gpu_report
from hybrid.doctor.lock import conda_lock_findings, pip_lock_findings
from hybrid.doctor.model import PIP_CHECK, DoctorReport, Finding
from hybrid.errors import BackendError, FindingsError, UsageError
from hybrid.mapping import CondaPypiMapping, builtin_mapping
from hybrid.prefix.distributions import scan
from hybrid.prefix.interpreter import Interpreter, probe
from hybrid.prefix.paths import (
    CONDA_META,
    current_platform,
    is_environment,
    python_path,
    site_packages_dirs,
)
from hybrid.prefix.verify import pip_check

__all__ = ["DoctorReport", "Finding", "FindingsError", "diagnose"]

log = logging.getLogger(__name__)


def diagnose(
    prefix: Path,
    *,
    lock_dir: Path | None = None,
    platform: str | None = None,
    mapping: CondaPypiMapping | None = None,
    gpu: bool = False,
    group: str | None = None,
) -> DoctorReport:
    """Audit `prefix`; `platform` (default: this machine's) picks the explicit file, and
    `group` a dependency group's files (the environment was installed with `--group`)."""
    platform = platform or current_platform()
    if not is_environment(prefix):
        raise UsageError(f"{prefix} is not a conda environment (no {CONDA_META}/ in it)")
    records, findings = read_conda_meta(prefix)
    skipped: list[str] = []
    interpreter = _interpreter(prefix, platform, skipped)
    sites = list(interpreter.site_dirs) if interpreter else site_packages_dirs(prefix)
    dists = scan(sites)
    ownership = Ownership(records, mapping or builtin_mapping())
    checked = ["pip-over-conda", "duplicates", "conda-files"]
    findings += pip_over_conda(prefix, dists, ownership)
    findings += duplicates(prefix, dists, ownership)
    findings += conda_files_missing(prefix, records)
    if lock_dir is not None:
        checked.append("lock")
        not_conda = [d for d in dists if ownership.owner_of_dist(d, prefix) is None]
        findings += conda_lock_findings(lock_dir, platform, records, group)
        findings += pip_lock_findings(lock_dir, not_conda,
                                      interpreter.markers if interpreter else None, group)
    if interpreter is not None:
        checked.append("pip-check")
        findings += _pip_check(interpreter, ownership)
    gpu_view = None
    if gpu:
        checked.append("gpu")
        python = python_path(prefix, platform) if interpreter is not None else None
        found = gpu_report(records, sites, python, lock_dir)
        findings += found.findings
        gpu_view = found.to_dict()
    return DoctorReport(prefix=prefix, platform=platform, findings=reconcile(findings),
                        checked=tuple(checked), skipped=tuple(skipped), gpu=gpu_view)


def _interpreter(prefix: Path, platform: str, skipped: list[str]) -> Interpreter | None:
    """The prefix's interpreter; None (and why, in `skipped`) when it has none that runs."""
    python = python_path(prefix, platform)
    if not python.exists():
        skipped.append(f"pip check: no interpreter at {python}")
        return None
    try:
        return probe(python)
    except BackendError as exc:
        skipped.append(f"pip check: {exc.message}")
        return None


def _pip_check(interpreter: Interpreter, ownership: Ownership) -> list[Finding]:
    tool, lines = pip_check(interpreter)
    findings = []
    for line in lines:
        name = line.split(" ", 1)[0]
        findings.append(Finding(
            code=PIP_CHECK, subject=name, reason=f"{tool} check: {line}",
            fix=pip_check_fix(name, conda_owned=ownership.conda_owns(name)),
        ))
    return findings
