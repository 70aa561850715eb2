"""`hybrid doctor` never gives advice that contradicts itself: a package conda provides is
fixed on the conda side in every finding about it, and `pip check` failures wait for the rest.
Hand-made prefixes (as conda and pip leave them); real installs: tests/cli/test_doctor.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from packaging.utils import canonicalize_name

from hybrid.doctor import Finding, diagnose
from hybrid.doctor.advice import OTHER_FINDINGS_FIRST, conda_provides, reconcile

SITE = "lib/python3.11/site-packages"
MD5 = "0" * 32
LOCK = f"""\
# platform: linux-64
@EXPLICIT
https://conda.anaconda.org/conda-forge/linux-64/pytorch-2.4.0-cpu_0.conda#{MD5}
"""
REQUIREMENTS = "rich==13.0.0 \\\n    --hash=sha256:" + "0" * 64 + "\n"


def _record(prefix: Path, name: str, version: str, build: str, files: list[str]) -> None:
    meta = prefix / "conda-meta"
    meta.mkdir(parents=True, exist_ok=True)
    record = {"name": name, "version": version, "build": build, "depends": ["python >=3.11"],
              "files": files, "url": f"https://x/{name}-{version}-{build}.conda"}
    (meta / f"{name}-{version}-{build}.json").write_text(json.dumps(record))
    for file in files:
        (prefix / file).parent.mkdir(parents=True, exist_ok=True)
        (prefix / file).write_text("")


def _pip_dist(prefix: Path, name: str, version: str) -> None:
    info = prefix / SITE / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Name: {name}\nVersion: {version}\n")
    (info / "INSTALLER").write_text("pip\n")
    (info / "RECORD").write_text("")


def _lock(tmp_path: Path) -> Path:
    lock = tmp_path / "lock"
    lock.mkdir()
    (lock / "conda-linux-64.lock").write_text(LOCK)
    (lock / "requirements.txt").write_text(REQUIREMENTS)
    return lock


def contradictions(findings: Iterable[Finding]) -> list[str]:
    """Subjects told both to fix them in the pip layer and that the pip layer must not."""
    fixes: dict[str, set[str]] = {}
    for finding in findings:
        fixes.setdefault(canonicalize_name(finding.subject), set()).add(finding.fix)
    return [
        subject for subject, texts in fixes.items()
        if any("`pip:`" in t for t in texts) and any("not the pip layer" in t for t in texts)
    ]


def test_a_pip_package_over_conda_is_never_sent_to_the_pip_layer(tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    _record(prefix, "pytorch", "2.4.0", "cpu_0", [f"{SITE}/torch/__init__.py"])
    _pip_dist(prefix, "torch", "2.5.0")
    report = diagnose(prefix, lock_dir=_lock(tmp_path), platform="linux-64")
    torch = [f for f in report.findings if f.subject == "torch"]
    assert sorted(f.code for f in torch) == ["pip-not-in-lock", "pip-over-conda"]
    assert {f.fix for f in torch} == {conda_provides("torch")}
    assert contradictions(report.findings) == []


def test_a_pip_only_package_not_in_the_lock_keeps_its_pip_advice(tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    _record(prefix, "pytorch", "2.4.0", "cpu_0", [f"{SITE}/torch/__init__.py"])
    _pip_dist(prefix, "wandb", "0.18.0")
    report = diagnose(prefix, lock_dir=_lock(tmp_path), platform="linux-64")
    [wandb] = [f for f in report.findings if f.subject == "wandb"]
    assert wandb.code == "pip-not-in-lock"
    assert "`pip:`" in wandb.fix


def _finding(code: str, subject: str, fix: str = "as the check says") -> Finding:
    return Finding(code=code, subject=subject, reason="because", fix=fix)


def test_pip_check_alone_keeps_its_advice() -> None:
    alone = _finding("pip-check", "needy", "change needy's `pip:` requirement and re-solve")
    assert reconcile([alone]) == (alone,)


def test_pip_check_waits_for_the_other_findings() -> None:
    findings = [_finding("pip-not-in-lock", "needy"), _finding("pip-check", "other")]
    checked = reconcile(findings)
    assert checked[0] == findings[0]
    assert checked[1].fix == OTHER_FINDINGS_FIRST


def test_every_pip_side_finding_of_a_shadowed_package_agrees() -> None:
    over = _finding("pip-over-conda", "NumPy", conda_provides("NumPy"))
    findings = [
        over,
        _finding("duplicate-distribution", "numpy", "remove the stray copy"),
        _finding("pip-not-in-lock", "numpy", "add it to the spec's `pip:`"),
        _finding("pip-check", "numpy", "change numpy's `pip:` requirement"),
        _finding("conda-missing", "numpy-base", "re-create"),
    ]
    checked = reconcile(findings)
    assert {f.fix for f in checked[:4]} == {over.fix}
    assert checked[4] == findings[4]
    assert contradictions(checked) == []
