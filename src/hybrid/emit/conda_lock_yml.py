"""`conda-lock.yml`: the unified lock (conda and pip, every platform), written with
conda-lock's own lockfile models and writer so `conda-lock install` and `micromamba` read it.

A version-control reference is written as pip installs it: `url` and a `source` of type url,
both `git+https://host/repo@<commit>`, and no hash (a checkout has none; the commit id is
not a sha256). `conda-lock render` then emits `name @ git+…@<commit>` in every kind, where
without `source` its env kind would emit `name == version --hash=…`, which no index serves.
micromamba refuses a package with neither md5 nor sha256, so a lock holding a
version-control reference installs with `conda-lock install` or from requirements.txt.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from conda_lock.lockfile import write_conda_lock_file
from conda_lock.lockfile.v1.models import DependencySource
from conda_lock.lockfile.v2prelim.models import HashModel, LockedDependency, Lockfile, LockMeta

from hybrid.conda.model import CondaPackage, CondaSolution
from hybrid.emit.header import Header
from hybrid.emit.layout import CONDA_LOCK_YML
from hybrid.pypi.model import PipArtifact
from hybrid.spec.channels import ChannelRef

_NAME = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(.*)$")
# pip's version-control schemes, before the `+` (git+https, hg+ssh, …).
_VCS = frozenset({"git", "hg", "svn", "bzr"})


def render_conda_lock_yml(
    solutions: Sequence[CondaSolution],
    header: Header,
    *,
    channels: Sequence[ChannelRef],
    spec_file: str,
    pip: Sequence[PipArtifact] = (),
    categorized: Sequence[tuple[str, str, CondaPackage | PipArtifact]] = (),
) -> str:
    """The unified lock as text: our header, then exactly what conda-lock writes.
    `categorized` are (category, platform, package) outside `main`: dependency groups."""
    packages = [_conda(p, s.platform) for s in solutions for p in s.packages]
    packages.extend(_pip(a) for a in pip)
    packages.extend(
        _conda(item, platform, category)
        if isinstance(item, CondaPackage)
        else _pip(item, category)
        for category, platform, item in categorized
    )
    lockfile = Lockfile(
        package=packages,
        metadata=LockMeta(
            content_hash={s.platform: header.input_hash for s in solutions},
            channels=[ref.name for ref in channels],
            platforms=[s.platform for s in solutions],
            sources=[spec_file],
        ),
    )
    with tempfile.TemporaryDirectory(prefix="hybrid-lock-") as tmp:
        path = Path(tmp) / CONDA_LOCK_YML
        write_conda_lock_file(lockfile, path, metadata_choices=None, include_help_text=False)
        body = path.read_text(encoding="utf-8")
    return "\n".join(header.lines()) + "\n" + body


def _conda(package: CondaPackage, platform: str, category: str = "main") -> LockedDependency:
    return LockedDependency(
        name=package.name,
        version=package.version,
        manager="conda",
        platform=platform,
        dependencies=_dependencies(package.depends),
        url=package.url,
        hash=HashModel(md5=package.md5, sha256=package.sha256),
        build=package.build,
        categories={category},
    )


def _pip(artifact: PipArtifact, category: str = "main") -> LockedDependency:
    vcs = is_vcs_url(artifact.url)
    return LockedDependency(
        name=artifact.name,
        version=artifact.version,
        manager="pip",
        platform=artifact.platform,
        dependencies={},
        url=artifact.url,
        hash=HashModel() if vcs else HashModel(sha256=artifact.sha256),
        source=DependencySource(type="url", url=artifact.url) if vcs else None,
        categories={category},
    )


def is_vcs_url(url: str) -> bool:
    """Whether `url` is a version-control reference (`git+https://…`, `hg+…`, …)."""
    return urlsplit(url).scheme.split("+", 1)[0] in _VCS


def _dependencies(depends: Sequence[str]) -> dict[str, str]:
    """conda-lock's `{name: constraint}` form; the first spec of a repeated name is kept."""
    out: dict[str, str] = {}
    for text in depends:
        match = _NAME.match(text.strip())
        if match and match.group(1) not in out:
            out[match.group(1)] = match.group(2).strip() or "*"
    return out
