"""A CycloneDX 1.6 SBOM (JSON) of one variant's environment on one platform, both layers.

Each locked package is a component with its purl (`purl.py`), its hashes (SHA-256, and MD5
for conda archives) and its download URL. Licences: a conda package's `license` comes from
its repodata record when the repodata cache has it (`records.py`); a wheel's
`License-Expression` (else `License`) from its core metadata when hybrid has it at hand (a
local wheel, or the metadata cache the lock verifier fills); nothing is fetched, and a
component whose licence is not at hand has none. The dependency graph: conda dependencies
from the lock, a wheel's `Requires-Dist` (for this platform's markers, met in either layer)
where its metadata is at hand, and the environment depending on the packages the spec names.

Written with the standard library: the document is plain JSON, and the tests validate it
against CycloneDX's schema with cyclonedx-python-lib. The output is deterministic (no
timestamp; the serial number is derived from the input hash, variant and platform).
"""

from __future__ import annotations

import email.parser
import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.markers import UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from hybrid import __version__
from hybrid.export.locks import CondaLocked, ExportSource, PipLocked, PlatformLock, VariantLock
from hybrid.export.purl import conda_purl, pypi_purl
from hybrid.export.records import cached_records
from hybrid.mapping import builtin_mapping
from hybrid.platforms import marker_values
from hybrid.pypi.metadata import core_metadata
from hybrid.pypi.model import PipArtifact

SPEC_VERSION = "1.6"
ROOT_REF = "environment"


def sbom_filename(platform: str, group: str | None = None) -> str:
    """`sbom-linux-64.cdx.json`, or `sbom-linux-64.dev.cdx.json` with the group `dev`."""
    return f"sbom-{platform}.cdx.json" if group is None else f"sbom-{platform}.{group}.cdx.json"


def render_sbom(
    source: ExportSource, variant: VariantLock, *, platform: str, cache_dir: Path,
    group: str | None = None,
) -> str:
    """The SBOM of the base environment, or of the base and dependency group `group`."""
    locked = variant.platform(platform).with_group(group)
    records = cached_records(locked.conda, platform=platform, cache_dir=cache_dir,
                             refs=source.channel_refs)
    conda_licenses = {url: record.license for url, record in records.items() if record.license}
    metadata = {
        dist.name: _core_metadata(dist, platform, cache_dir) for dist in locked.pip
    }
    refs = _refs(locked)
    components = [_conda_component(p, conda_licenses.get(p.url)) for p in locked.conda]
    components += [_pip_component(d, metadata[d.name]) for d in locked.pip]
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": _serial(source, variant, platform, group),
        "version": 1,
        "metadata": _metadata(source, variant, platform, group),
        "components": components,
        "dependencies": _dependencies(source, locked, refs, metadata, group),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _metadata(
    source: ExportSource, variant: VariantLock, platform: str, group: str | None
) -> dict[str, Any]:
    chosen = [{"name": "hybrid:group", "value": group}] if group is not None else []
    return {
        "tools": {"components": [{"type": "application", "name": "hybrid",
                                  "version": __version__}]},
        "component": {"type": "application", "bom-ref": ROOT_REF, "name": source.spec.name},
        "properties": [
            {"name": "hybrid:spec", "value": source.spec.path.name},
            {"name": "hybrid:variant", "value": variant.name},
            {"name": "hybrid:platform", "value": platform},
            {"name": "hybrid:input-hash", "value": source.input_hash},
            *chosen,
        ],
    }


def _conda_component(package: CondaLocked, license_text: str | None) -> dict[str, Any]:
    purl = conda_purl(package)
    hashes = [{"alg": "SHA-256", "content": package.sha256}] if package.sha256 else []
    if package.md5:
        hashes.append({"alg": "MD5", "content": package.md5})
    return _component(purl, package.name, package.version, package.url, hashes,
                      license_text, layer="conda")


def _pip_component(dist: PipLocked, metadata: str | None) -> dict[str, Any]:
    hashes = [{"alg": "SHA-256", "content": dist.sha256}] if dist.sha256 else []
    return _component(pypi_purl(dist), dist.name, dist.version, dist.url, hashes,
                      _wheel_license(metadata), layer="pip")


def _component(
    purl: str, name: str, version: str, url: str, hashes: list[dict[str, str]],
    license_text: str | None, *, layer: str,
) -> dict[str, Any]:
    component: dict[str, Any] = {
        "type": "library", "bom-ref": purl, "name": name, "version": version, "purl": purl,
    }
    if hashes:
        component["hashes"] = hashes
    if license_text:
        component["licenses"] = [_license(license_text)]
    component["externalReferences"] = [{"type": "distribution", "url": url}]
    component["properties"] = [{"name": "hybrid:layer", "value": layer}]
    return component


def _license(text: str) -> dict[str, Any]:
    """An SPDX expression when `text` is one, else the licence by name."""
    try:
        return {"expression": str(canonicalize_license_expression(text))}
    except InvalidLicenseExpression:
        return {"license": {"name": text}}


def _wheel_license(metadata: str | None) -> str | None:
    if metadata is None:
        return None
    message = email.parser.Parser().parsestr(metadata, headersonly=True)
    for field in ("License-Expression", "License"):
        value = (message.get(field) or "").strip()
        if value and value.upper() != "UNKNOWN" and "\n" not in value:
            return value
    return None


def _core_metadata(dist: PipLocked, platform: str, cache_dir: Path) -> str | None:
    artifact = PipArtifact(platform=platform, name=dist.name, version=dist.version,
                           url=dist.url, sha256=dist.sha256 or "")
    return core_metadata(artifact, cache_dir=cache_dir, offline=True)


def _refs(locked: PlatformLock) -> dict[tuple[str, str], str]:
    """(layer, name) -> bom-ref: ("conda", conda name), ("pip", canonical name), and
    ("provided", PyPI name) for the conda packages that provide a PyPI distribution (hybrid's
    built-in conda -> PyPI names: conda's `pytorch` provides `torch`)."""
    mapping = builtin_mapping()
    refs: dict[tuple[str, str], str] = {}
    for package in locked.conda:
        ref = refs[("conda", package.name)] = conda_purl(package)
        python = any(d.split()[0] == "python" for d in package.depends if d.strip())
        for name in mapping.pypi_names(package.name, depends_on_python=python):
            refs.setdefault(("provided", name), ref)
    refs.update({("pip", canonicalize_name(d.name)): pypi_purl(d) for d in locked.pip})
    return refs


def _dependencies(
    source: ExportSource,
    locked: PlatformLock,
    refs: Mapping[tuple[str, str], str],
    metadata: Mapping[str, str | None],
    group: str | None,
) -> list[dict[str, Any]]:
    spec = source.spec
    chosen = spec.group(group) if group is not None else None
    conda = [*spec.conda_for(locked.platform),
             *(chosen.conda_for(locked.platform) if chosen else ())]
    pip = [*spec.pip, *(chosen.pip if chosen else ())]
    top = [refs[("conda", d.name)] for d in conda if ("conda", d.name) in refs]
    top += [refs[("pip", d.name)] for d in pip if ("pip", d.name) in refs]
    graph = [{"ref": ROOT_REF, "dependsOn": sorted(set(top))}]
    for package in locked.conda:
        names = {d.split()[0] for d in package.depends if d.strip()}
        graph.append({"ref": refs[("conda", package.name)], "dependsOn": sorted(
            {refs[("conda", n)] for n in names if ("conda", n) in refs})})
    environment = {**marker_values(locked.platform), "extra": ""}
    for dist in locked.pip:
        wanted = _requires(metadata[dist.name], environment)
        found = {refs.get(("pip", n)) or refs.get(("provided", n)) for n in wanted}
        graph.append({"ref": refs[("pip", canonicalize_name(dist.name))],
                      "dependsOn": sorted(ref for ref in found if ref is not None)})
    return graph


def _requires(metadata: str | None, environment: dict[str, str]) -> set[str]:
    if metadata is None:
        return set()
    message = email.parser.Parser().parsestr(metadata, headersonly=True)
    names: set[str] = set()
    for line in message.get_all("Requires-Dist") or ():
        try:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate(environment):
                names.add(canonicalize_name(requirement.name))
        except (InvalidRequirement, UndefinedComparison, UndefinedEnvironmentName):
            continue
    return names


def _serial(
    source: ExportSource, variant: VariantLock, platform: str, group: str | None
) -> str:
    name = f"hybrid:{source.input_hash}:{variant.name}:{platform}"
    if group is not None:
        name += f":{group}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn
