"""`hybrid.doctor` on hand-made prefixes: the cases a real install cannot easily produce
(renamed distributions, broken records, lock drift). Real prefixes: tests/cli/test_doctor.py."""

from __future__ import annotations

import json
from pathlib import Path

from hybrid.doctor import diagnose
from tests.install.conftest import posix_only

SITE = "lib/python3.11/site-packages"
LOCK = """\
# platform: linux-64
@EXPLICIT
https://conda.anaconda.org/conda-forge/linux-64/pytorch-2.4.0-cpu_0.conda#{md5}
https://conda.anaconda.org/conda-forge/noarch/requests-2.32.3-pyhd8ed1ab_0.conda#{md5}
https://conda.anaconda.org/conda-forge/noarch/zlib-1.3-0.conda#{md5}
""".format(md5="0" * 32)
REQUIREMENTS = """\
wandb==0.17.0 \\
    --hash=sha256:{h}
rich==13.0.0 \\
    --hash=sha256:{h}
""".format(h="0" * 64)


def _record(prefix: Path, name: str, version: str, build: str, files: list[str],
            depends: tuple[str, ...] = ("python >=3.11",)) -> None:
    meta = prefix / "conda-meta"
    meta.mkdir(parents=True, exist_ok=True)
    record = {"name": name, "version": version, "build": build, "depends": list(depends),
              "files": files, "url": f"https://x/{name}-{version}-{build}.conda"}
    (meta / f"{name}-{version}-{build}.json").write_text(json.dumps(record))
    for file in files:
        (prefix / file).parent.mkdir(parents=True, exist_ok=True)
        (prefix / file).write_text("")


def _pip_dist(prefix: Path, name: str, version: str, files: tuple[str, ...] = ()) -> None:
    info = prefix / SITE / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Name: {name}\nVersion: {version}\n")
    (info / "INSTALLER").write_text("uv\n")
    (info / "RECORD").write_text("".join(f"{f},,\n" for f in files))


def _prefix(tmp_path: Path) -> Path:
    prefix = tmp_path / "env"
    _record(prefix, "pytorch", "2.4.0", "cpu_0", [f"{SITE}/torch/__init__.py"])
    _record(prefix, "requests", "2.32.3", "pyhd8ed1ab_0",
            [f"{SITE}/requests/__init__.py", f"{SITE}/requests-2.32.3.dist-info/METADATA"])
    (prefix / SITE / "requests-2.32.3.dist-info" / "METADATA").write_text(
        "Name: requests\nVersion: 2.32.3\n")
    return prefix


def test_a_renamed_distribution_is_found_through_the_mapping(tmp_path: Path) -> None:
    prefix = _prefix(tmp_path)
    _pip_dist(prefix, "torch", "2.5.0")  # no dist-info from conda, no shared file
    report = diagnose(prefix, platform="linux-64")
    [finding] = report.findings
    assert finding.code == "pip-over-conda"
    assert finding.reason == ("uv installed torch 2.5.0 over conda's pytorch 2.4.0 (cpu_0): "
                              "conda's pytorch provides torch")
    assert report.skipped == ("pip check: no interpreter at " + str(prefix / "bin/python"),)


def test_files_overwritten_under_another_name(tmp_path: Path) -> None:
    prefix = _prefix(tmp_path)
    _pip_dist(prefix, "requests-fork", "9.0", ("requests/__init__.py",))
    [finding] = diagnose(prefix, platform="linux-64").findings
    assert finding.subject == "requests-fork"
    assert finding.reason.endswith("over conda's requests 2.32.3 (pyhd8ed1ab_0): "
                                   "1 of its files are conda's")


def test_an_unreadable_record(tmp_path: Path) -> None:
    prefix = _prefix(tmp_path)
    (prefix / "conda-meta" / "broken.json").write_text("{")
    [finding] = diagnose(prefix, platform="linux-64").findings
    assert (finding.code, finding.subject) == ("conda-meta-unreadable", "broken.json")


def test_lock_drift(tmp_path: Path) -> None:
    prefix = _prefix(tmp_path)
    _record(prefix, "extra", "1.0", "0", [], depends=())
    _pip_dist(prefix, "wandb", "0.18.0")
    _pip_dist(prefix, "stray", "1.0")
    lock = tmp_path / "lock"
    lock.mkdir()
    (lock / "conda-linux-64.lock").write_text(LOCK.replace("2.32.3-pyhd8ed1ab_0",
                                                           "2.32.3-pyhd8ed1ab_1"))
    (lock / "requirements.txt").write_text(REQUIREMENTS)
    report = diagnose(prefix, lock_dir=lock, platform="linux-64")
    got = sorted((f.code, f.subject) for f in report.findings)
    assert got == [
        ("conda-differs-from-lock", "requests"),
        ("conda-missing", "zlib"),
        ("conda-not-in-lock", "extra"),
        ("pip-differs-from-lock", "wandb"),
        ("pip-missing", "rich"),
        ("pip-not-in-lock", "stray"),
    ]
    assert "lock" in report.checked and report.to_dict()["clean"] is False


@posix_only
def test_an_interpreter_that_does_not_run_is_skipped(tmp_path: Path) -> None:
    prefix = _prefix(tmp_path)
    python = prefix / "bin" / "python"
    python.parent.mkdir()
    python.write_text("#!/bin/sh\nexit 3\n")
    python.chmod(0o755)
    report = diagnose(prefix, platform="linux-64")
    assert report.clean
    [skipped] = report.skipped
    assert skipped.startswith(f"pip check: the environment's interpreter {python} does not run")
