"""The bridge: present the conda layer to a pip resolver as already-installed distributions.

For every provided distribution a metadata-only wheel ``<name>-<version>+conda-py3-none-any.whl``
is written to a find-links directory and pinned with ``<name>==<version>+conda`` in a
constraints file. The local label makes the stub the only candidate (PyPI never serves
local versions), while dependents asking ``<name>>=x`` or ``<name>==<version>`` still accept it,
because PEP 440 ignores local labels in public specifiers. See DESIGN.md, "Facts about the
bridge", for why plain constraints or same-version stubs are not enough.

A stub declares the extras of the PyPI release at its version with their requirements
(``Provides-Extra: grpc``, ``Requires-Dist: grpcio>=1.33.2; extra == "grpc"``), never its
other dependencies (conda installs those). A dependent asking ``google-api-core[grpc]`` then
gets grpcio added to the pip layer, or resolved to grpcio's stub when conda installs it; a
stub without the extra would make uv 0.13 drop it with only a warning.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import shutil
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from hybrid.errors import UsageError
from hybrid.pypi.model import ProvidedDistribution

log = logging.getLogger(__name__)

STUB_LABEL = "conda"
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, kw_only=True, slots=True)
class Bridge:
    """What a resolver needs: the stub directory, the constraints file, what they stand for."""

    find_links: Path
    constraints: Path
    stubbed: Mapping[NormalizedName, ProvidedDistribution]


def is_stub_version(version: Version) -> bool:
    """Whether ``version`` is a stub's (its local label is ``conda``)."""
    return version.local == STUB_LABEL


def stub_version(provided: ProvidedDistribution) -> Version | None:
    """The stub's version for ``provided``, or None when its conda version is not PEP 440."""
    try:
        version = Version(provided.version)
    except InvalidVersion:
        return None
    if version.local is not None:
        log.info("dropping local label of %s %s for its stub", provided.pypi_name, version)
    return Version(f"{version.public}+{STUB_LABEL}")


def write_bridge(provided: Iterable[ProvidedDistribution], workdir: Path) -> Bridge:
    """Write stubs to ``workdir/stubs`` and pins to ``workdir/constraints.txt``.

    The stub directory is emptied first: a stub left from another compile would be a
    candidate the constraints do not mention, and a resolver may prefer it to the index's.
    """
    find_links = workdir / "stubs"
    if find_links.exists():
        shutil.rmtree(find_links)
    find_links.mkdir(parents=True)
    stubbed: dict[NormalizedName, ProvidedDistribution] = {}
    pins: list[str] = []
    for name, dist in _unique(provided):
        version = stub_version(dist)
        if version is None:
            log.warning(
                "conda package %s provides %s %r, which is not a PEP 440 version: no stub, "
                "so the pip layer may bring its own %s",
                dist.conda_name, dist.pypi_name, dist.version, name,
            )
            continue
        write_stub_wheel(
            find_links, name, version, conda_name=dist.conda_name,
            extras=dist.extras, requires=dist.extra_requires,
        )
        stubbed[name] = dist
        pins.append(f"{name}=={version}\n")
    constraints = workdir / "constraints.txt"
    constraints.write_text("".join(pins), encoding="utf-8", newline="\n")
    return Bridge(find_links=find_links, constraints=constraints, stubbed=stubbed)


def _unique(
    provided: Iterable[ProvidedDistribution],
) -> list[tuple[NormalizedName, ProvidedDistribution]]:
    by_name: dict[NormalizedName, ProvidedDistribution] = {}
    for dist in provided:
        name = canonicalize_name(dist.pypi_name)
        seen = by_name.setdefault(name, dist)
        if seen.version != dist.version:
            raise UsageError(
                f"the conda layer provides {name} twice: {seen.version} (conda package "
                f"`{seen.conda_name}`) and {dist.version} (conda package `{dist.conda_name}`)"
            )
    return sorted(by_name.items())


def write_stub_wheel(
    directory: Path,
    name: NormalizedName,
    version: Version,
    *,
    conda_name: str,
    extras: Sequence[str] = (),
    requires: Sequence[Requirement] = (),
) -> Path:
    """Write a deterministic metadata-only wheel (no files) and return it; its only
    dependencies are `requires`, the requirements of its `extras`."""
    stem = f"{name.replace('-', '_')}-{version}"
    dist_info = f"{stem}.dist-info"
    declared = "".join(
        [*(f"Provides-Extra: {e}\n" for e in sorted(set(extras))),
         *(f"Requires-Dist: {r}\n" for r in sorted({str(r) for r in requires}))]
    )
    files = {
        f"{dist_info}/METADATA": (
            "Metadata-Version: 2.1\n"
            f"Name: {canonicalize_name(name)}\n"
            f"Version: {version}\n"
            f"Summary: stand-in for the conda package {conda_name} (hybrid bridge)\n"
            f"{declared}"
        ).encode(),
        f"{dist_info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: hybrid\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    path = directory / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            info = zipfile.ZipInfo(member, date_time=_ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode('ascii')}"
