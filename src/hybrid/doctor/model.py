"""What `hybrid doctor` reports: findings, each with a code, a reason and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The finding codes, stable for scripts that read `--json`.
PIP_OVER_CONDA = "pip-over-conda"
DUPLICATE = "duplicate-distribution"
CONDA_FILES_MISSING = "conda-files-missing"
CONDA_META_UNREADABLE = "conda-meta-unreadable"
CONDA_NOT_IN_LOCK = "conda-not-in-lock"
CONDA_DIFFERS = "conda-differs-from-lock"
CONDA_MISSING = "conda-missing"
PIP_NOT_IN_LOCK = "pip-not-in-lock"
PIP_DIFFERS = "pip-differs-from-lock"
PIP_MISSING = "pip-missing"
PIP_CHECK = "pip-check"


@dataclass(frozen=True, kw_only=True, slots=True)
class Finding:
    """One problem: `code` (stable), what it is about, a one-line reason and the fix."""

    code: str
    subject: str
    reason: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "subject": self.subject, "reason": self.reason, "fix": self.fix}


@dataclass(frozen=True, kw_only=True, slots=True)
class DoctorReport:
    """The audit of one prefix; `skipped` names checks that could not run, and why."""

    prefix: Path
    platform: str
    findings: tuple[Finding, ...]
    checked: tuple[str, ...]
    skipped: tuple[str, ...] = ()
    #: `--gpu`: the driver, the lock's variant, CUDA runtimes on disk, the frameworks' view
    gpu: dict[str, Any] | None = None

    @property
    def clean(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "prefix": str(self.prefix),
            "platform": self.platform,
            "clean": self.clean,
            "checked": list(self.checked),
            "skipped": list(self.skipped),
            "findings": [finding.to_dict() for finding in self.findings],
        } | ({} if self.gpu is None else {"gpu": self.gpu})
