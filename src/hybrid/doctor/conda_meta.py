"""Read the conda packages of a prefix from `conda-meta/*.json` (tolerantly: JSON, no rattler)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hybrid.doctor.advice import UNREADABLE_RECORD
from hybrid.doctor.model import CONDA_META_UNREADABLE, Finding
from hybrid.prefix.paths import CONDA_META


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaRecord:
    """One installed conda package; `files` are prefix-relative POSIX paths."""

    name: str
    version: str
    build: str
    url: str | None
    depends: tuple[str, ...]
    files: frozenset[str]

    @property
    def stem(self) -> str:
        return f"{self.name}-{self.version}-{self.build}"

    @property
    def label(self) -> str:
        return f"{self.name} {self.version} ({self.build})"


def read_conda_meta(prefix: Path) -> tuple[list[CondaRecord], list[Finding]]:
    """The records of `prefix`, sorted by name; a finding for each file that is not one."""
    records: list[CondaRecord] = []
    findings: list[Finding] = []
    for path in sorted((prefix / CONDA_META).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            records.append(
                CondaRecord(
                    name=str(data["name"]),
                    version=str(data["version"]),
                    build=str(data["build"]),
                    url=data.get("url"),
                    depends=tuple(str(d) for d in data.get("depends") or ()),
                    files=frozenset(str(f).replace("\\", "/") for f in data.get("files") or ()),
                )
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            findings.append(Finding(
                code=CONDA_META_UNREADABLE, subject=path.name,
                reason=f"{path} is not a conda package record ({exc})",
                fix=UNREADABLE_RECORD,
            ))
    return sorted(records, key=lambda r: r.name), findings
