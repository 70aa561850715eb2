"""`hybrid export pixi`: rattler reads the pixi.lock back with the lock's exact packages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rattler

from hybrid.devtools.local_channel import PackageSpec, build_channel
from hybrid.readback.diff import read_lock
from tests.conftest import RunCli


def _lock_packages(conda_lock: Path) -> dict[str, set[tuple[str, ...]]]:
    """platform -> {(layer, name, version, url, sha256, md5)} from conda-lock.yml."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for (platform, layer, _, _), (name, locked) in read_lock(conda_lock).items():
        found.setdefault(platform, set()).add(
            (layer, name, locked.version, locked.url, locked.sha256 or "",
             (locked.md5 or "") if layer == "conda" else "")
        )
    return found


def _pixi_packages(environment: rattler.Environment) -> dict[str, set[tuple[str, ...]]]:
    found: dict[str, set[tuple[str, ...]]] = {}
    for platform, records in environment.conda_repodata_records().items():
        for record in records:
            found.setdefault(platform, set()).add((
                "conda", record.name.normalized, str(record.version), record.url,
                record.sha256.hex() if record.sha256 else "",
                record.md5.hex() if record.md5 else "",
            ))
    for platform, dists in environment.pypi_packages().items():
        for dist in dists:
            hashes = dist.hashes
            sha256 = hashes.sha256 if hashes is not None else None
            found.setdefault(platform, set()).add(
                ("pip", dist.name, dist.version, dist.location,
                 sha256.hex() if sha256 else "", "")
            )
    return found


def test_rattler_reads_back_every_package_of_the_lock(project: Path, run_cli: RunCli) -> None:
    result = run_cli("export", "pixi", project)
    assert result.exit_code == 0, result.output
    pixi = project.parent / "pixi.lock"
    assert f"wrote {pixi}" in " ".join(result.stdout.split())

    lock = rattler.LockFile.from_path(pixi)
    assert [name for name, _ in lock.environments()] == ["default"]
    environment = lock.default_environment()
    assert environment is not None
    assert [str(c) for c in environment.channels()] == [
        _channel_url(project.parent / "spec.yaml")
    ]
    expected = _lock_packages(project.parent / "conda-lock.yml")
    assert sorted(expected) == ["linux-64", "osx-arm64"]
    assert _pixi_packages(environment) == expected
    layers = {entry[0] for entries in expected.values() for entry in entries}
    assert layers == {"conda", "pip"}


def test_conda_records_carry_the_repodata_fields_the_lock_lacks(
    project: Path, run_cli: RunCli
) -> None:
    assert run_cli("export", "pixi", project).exit_code == 0
    environment = rattler.LockFile.from_path(project.parent / "pixi.lock").default_environment()
    assert environment is not None
    records = environment.conda_repodata_records()["linux-64"]
    numpy = next(r for r in records if r.name.normalized == "numpy")
    assert numpy.license == "LicenseRef-hybrid-demo"
    assert numpy.size is not None and numpy.size > 0
    pip = next(r for r in records if r.name.normalized == "pip")
    assert pip.noarch.python  # conda-lock.yml does not record it; the repodata does


def _channel_url(spec: Path) -> str:
    text = spec.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("channels:"))
    return line.split("[", 1)[1].rstrip("]") + "/"


def test_each_variant_is_a_pixi_environment(
    tmp_path: Path, demo_channel: Path, run_cli: RunCli
) -> None:
    channel = tmp_path / "channel"
    shutil.copytree(demo_channel, channel)
    build_channel(channel, [PackageSpec(name="cuda-version", version="12.6")])
    spec = tmp_path / "spec.yaml"
    spec.write_text(VARIANTS.format(channel=channel.as_uri()), encoding="utf-8")
    solved = run_cli("solve", spec)
    assert solved.exit_code == 0, solved.output
    result = run_cli("export", "pixi", spec)
    assert result.exit_code == 0, result.output
    lock = rattler.LockFile.from_path(tmp_path / "pixi.lock")
    environments = dict(lock.environments())
    assert sorted(environments) == ["cpu", "cuda-12-6"]  # pixi's names: no `.`
    for name, folder in (("cpu", "cpu"), ("cuda-12-6", "cuda-12.6")):
        expected = _lock_packages(tmp_path / folder / "conda-lock.yml")
        assert _pixi_packages(environments[name]) == expected
    cuda = {r.name.normalized for r in environments["cuda-12-6"].conda_repodata_records()
            ["linux-64"]}
    assert "cuda-version" in cuda
    assert run_cli("export", "docker", spec).exit_code == 2  # which variant? (--variant)


VARIANTS = """\
version: 1
name: variants
channels: [{channel}]
platforms: [linux-64]
python: "3.11"
cuda: [cpu, "12.6"]
conda:
  - numpy
"""


@pytest.mark.snapshot
def test_mirrored_records_keep_the_canonical_urls(
    tmp_path: Path, run_cli: RunCli, shared_channels: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nname: t\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
                    'python: "3.11"\nconda: [numpy]\n', encoding="utf-8")
    mirror = ("--mirror", f"conda-forge={shared_channels / 'conda-forge'}")
    assert run_cli("solve", spec, *mirror).exit_code == 0
    assert run_cli("export", "pixi", spec, *mirror).exit_code == 0
    environment = rattler.LockFile.from_path(tmp_path / "pixi.lock").default_environment()
    assert environment is not None
    assert _pixi_packages(environment) == _lock_packages(tmp_path / "conda-lock.yml")
    records = environment.conda_repodata_records()["linux-64"]
    numpy = next(r for r in records if r.name.normalized == "numpy")
    assert numpy.license == "BSD-3-Clause"  # from the mirror's repodata
    assert numpy.channel == "https://conda.anaconda.org/conda-forge/"
