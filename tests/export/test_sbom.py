"""`hybrid export sbom`: CycloneDX JSON of both layers, valid by cyclonedx-python-lib's schema
validator, with purls, hashes, licences and the dependency graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator
from packageurl import PackageURL

from hybrid.readback.diff import read_lock
from tests.conftest import RunCli
from tests.install.conftest import WHEEL_NAME, WHEEL_VERSION


def _export(project: Path, run_cli: RunCli, *args: str) -> dict[str, Any]:
    result = run_cli("export", "sbom", project, *args)
    assert result.exit_code == 0, result.output
    path = project.parent / "sbom-linux-64.cdx.json"
    assert f"wrote {path}" in " ".join(result.stdout.split())
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_the_sbom_is_valid_cyclonedx_1_6(project: Path, run_cli: RunCli) -> None:
    _export(project, run_cli)
    text = (project.parent / "sbom-linux-64.cdx.json").read_text(encoding="utf-8")
    validator = make_schemabased_validator(OutputFormat.JSON, SchemaVersion.V1_6)
    assert validator.validate_str(text) is None


def test_a_broken_sbom_fails_the_validator() -> None:
    """The validation above can fail: a component without its required name is refused."""
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                "components": [{"type": "library", "version": "1"}]}
    validator = make_schemabased_validator(OutputFormat.JSON, SchemaVersion.V1_6)
    assert validator.validate_str(json.dumps(document)) is not None


def test_components_cover_both_layers_with_the_locks_hashes(
    project: Path, run_cli: RunCli
) -> None:
    document = _export(project, run_cli)
    by_purl = {c["purl"]: c for c in document["components"]}
    expected = {
        (layer, name): locked
        for (platform, layer, _, _), (name, locked) in read_lock(
            project.parent / "conda-lock.yml").items()
        if platform == "linux-64"
    }
    assert len(by_purl) == len(expected)
    for (layer, name), locked in expected.items():
        purl = next(p for p in by_purl if PackageURL.from_string(p).name == (
            name if layer == "conda" else name.lower()))
        parsed = PackageURL.from_string(purl)
        component = by_purl[purl]
        hashes = {h["alg"]: h["content"] for h in component["hashes"]}
        assert parsed.version == locked.version
        assert hashes["SHA-256"] == locked.sha256
        if layer == "conda":
            assert parsed.type == "conda"
            assert parsed.qualifiers["build"] == locked.build
            assert parsed.qualifiers["subdir"] in ("linux-64", "noarch")
            assert parsed.qualifiers["type"] == "tar.bz2"
            assert hashes["MD5"] == locked.md5
        else:
            assert parsed.type == "pypi"
        assert component["externalReferences"] == [{"type": "distribution", "url": locked.url}]
    pypi = PackageURL.from_string(next(p for p in by_purl if p.startswith("pkg:pypi/")))
    assert (pypi.name, pypi.version) == (WHEEL_NAME, WHEEL_VERSION)


def test_licences_come_from_the_repodata_where_known(project: Path, run_cli: RunCli) -> None:
    document = _export(project, run_cli)
    conda = [c for c in document["components"] if c["purl"].startswith("pkg:conda/")]
    assert conda and all(c["licenses"] == [{"expression": "LicenseRef-hybrid-demo"}]
                         for c in conda)
    # the test wheel declares no licence: none is invented
    wheel = next(c for c in document["components"] if c["purl"].startswith("pkg:pypi/"))
    assert "licenses" not in wheel


def test_the_dependency_graph_follows_the_lock(project: Path, run_cli: RunCli) -> None:
    document = _export(project, run_cli)
    refs = {c["name"]: c["bom-ref"] for c in document["components"]}
    graph = {d["ref"]: set(d["dependsOn"]) for d in document["dependencies"]}
    assert graph["environment"] == {refs["numpy"], refs[WHEEL_NAME]}
    assert {refs["python"], refs["libopenblas"], refs["python_abi"]} <= graph[refs["numpy"]]
    assert set(graph) == {"environment", *refs.values()}


def test_an_sbom_for_another_platform(project: Path, run_cli: RunCli) -> None:
    result = run_cli("export", "sbom", project, "--platform", "osx-arm64")
    assert result.exit_code == 0, result.output
    document = json.loads((project.parent / "sbom-osx-arm64.cdx.json").read_text("utf-8"))
    subdirs = {PackageURL.from_string(c["purl"]).qualifiers.get("subdir")
               for c in document["components"] if c["purl"].startswith("pkg:conda/")}
    assert subdirs == {"osx-arm64", "noarch"}


def _cache_wheel_metadata(project: Path, cache: Path, *fields: str) -> None:
    """Core metadata for the project's wheel where the lock verifier caches it (by sha256)."""
    packages = read_lock(project.parent / "conda-lock.yml")
    wheel = next(locked for (_, layer, _, _), (_, locked) in packages.items() if layer == "pip")
    metadata = cache / "pip-metadata" / f"{wheel.sha256}.metadata"
    metadata.parent.mkdir(parents=True)
    metadata.write_text(f"Metadata-Version: 2.4\nName: {WHEEL_NAME}\nVersion: {WHEEL_VERSION}\n"
                        + "".join(f"{field}\n" for field in fields), encoding="utf-8")


def _wheel_component(document: dict[str, Any]) -> dict[str, Any]:
    component: dict[str, Any] = next(
        c for c in document["components"] if c["purl"].startswith("pkg:pypi/"))
    return component


def test_a_wheel_licence_comes_from_its_cached_metadata(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Core metadata the lock verifier cached is read, offline."""
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path / "cache"))
    _cache_wheel_metadata(project, tmp_path / "cache", "License-Expression: mit OR apache-2.0")
    component = _wheel_component(_export(project, run_cli))
    assert component["licenses"] == [{"expression": "MIT OR Apache-2.0"}]


def test_a_wheels_dependencies_for_this_platform_join_the_graph(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requires-Dist met by the conda layer links to the conda component; a requirement whose
    marker excludes the platform is left out."""
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path / "cache"))
    _cache_wheel_metadata(project, tmp_path / "cache", "Requires-Dist: numpy>=1.20",
                          'Requires-Dist: pip; sys_platform == "win32"',
                          "License: Some custom licence")
    document = _export(project, run_cli)
    wheel = _wheel_component(document)
    numpy = next(c["bom-ref"] for c in document["components"] if c["name"] == "numpy")
    graph = {d["ref"]: d["dependsOn"] for d in document["dependencies"]}
    assert graph[wheel["bom-ref"]] == [numpy]
    assert wheel["licenses"] == [{"license": {"name": "Some custom licence"}}]
    validator = make_schemabased_validator(OutputFormat.JSON, SchemaVersion.V1_6)
    assert validator.validate_str(json.dumps(document)) is None


SNAPSHOT_SPEC = """\
version: 1
name: snapshot-export
channels: [conda-forge]
platforms: [linux-64]
python: "3.11"
conda:
  - numpy
"""


@pytest.mark.snapshot
def test_a_mirrored_channel_is_looked_up_at_its_mirror(
    tmp_path: Path, run_cli: RunCli, shared_channels: Path
) -> None:
    """Real conda-forge records read through --mirror: the cache knows them by the mirror's
    URL, so `export --mirror` finds their licences; the export still names conda-forge."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(SNAPSHOT_SPEC, encoding="utf-8")
    mirror = ("--mirror", f"conda-forge={shared_channels / 'conda-forge'}")
    assert run_cli("solve", spec, *mirror).exit_code == 0
    assert run_cli("export", "sbom", spec, "-o", tmp_path / "plain.json").exit_code == 0
    assert run_cli("export", "sbom", spec, *mirror, "-o", tmp_path / "mirrored.json"
                   ).exit_code == 0
    plain = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    mirrored = json.loads((tmp_path / "mirrored.json").read_text(encoding="utf-8"))
    assert not any("licenses" in c for c in plain["components"])  # not at hand: none given
    numpy = next(c for c in mirrored["components"] if c["name"] == "numpy")
    assert numpy["licenses"] == [{"expression": "BSD-3-Clause"}]
    for component in mirrored["components"]:
        purl = PackageURL.from_string(component["purl"])
        assert purl.qualifiers["channel"] == "conda-forge"
        [reference] = component["externalReferences"]
        assert reference["url"].startswith("https://conda.anaconda.org/conda-forge/")
