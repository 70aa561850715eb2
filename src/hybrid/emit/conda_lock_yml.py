"""`conda-lock.yml`: the unified lock (conda and pip, every platform), in conda-lock's own
format and layout (`emit.conda_lock_text`) so `conda-lock install` and `micromamba` read it.

A version-control reference is written as pip installs it: `url` and a `source` of type url,
both `git+https://host/repo@<commit>`, and no hash (a checkout has none; the commit id is
not a sha256). `conda-lock render` then emits `name @ git+…@<commit>` in every kind, where
without `source` its env kind would emit `name == version --hash=…`, which no index serves.
micromamba refuses a package with neither md5 nor sha256, so a lock holding a
version-control reference installs with `conda-lock install` or from requirements.txt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from hybrid.conda.model import CondaPackage, CondaSolution
from hybrid.emit.conda_lock_model import (
    MAIN,
    CondaLockFile,
    LockChannel,
    LockHash,
    LockKey,
    LockMetadata,
    LockPackage,
    LockSource,
)
from hybrid.emit.conda_lock_text import channel_url, conda_lock_text
from hybrid.emit.header import Header
from hybrid.pypi.model import PipArtifact
from hybrid.spec.channels import ChannelRef

_NAME = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(.*)$")
# pip's version-control schemes, before the `+` (git+https, hg+ssh, …).
_VCS = frozenset({"git", "hg", "svn", "bzr"})
_MAIN_ONLY = frozenset({MAIN})


def render_conda_lock_yml(
    solutions: Sequence[CondaSolution],
    header: Header,
    *,
    channels: Sequence[ChannelRef],
    spec_file: str,
    pip: Sequence[PipArtifact] = (),
    categories: Mapping[LockKey, frozenset[str]] | None = None,
    categorized: Sequence[tuple[str, str, CondaPackage | PipArtifact]] = (),
) -> str:
    """The unified lock as text: our header, then exactly what conda-lock writes.

    `categories` gives a package (by (manager, name, platform)) its categories; any other
    package is in `main` only. `categorized` are (category, platform, package) entries
    outside `main`, a dependency group's additions: a package two groups add is written
    once, in both categories."""
    extra: dict[LockKey, LockPackage] = {}
    chosen = dict(categories or {})
    for category, platform, item in categorized:
        package = (
            conda_package(item, platform) if isinstance(item, CondaPackage) else pip_package(item)
        )
        extra.setdefault(package.key, package)
        chosen[package.key] = chosen.get(package.key, frozenset()) | {category}
    lock = conda_lock_file(
        solutions, header, channels=channels, spec_file=spec_file,
        pip=pip, extra=tuple(extra.values()), categories=chosen,
    )  # fmt: skip
    return "\n".join(header.lines()) + "\n" + conda_lock_text(lock)


def conda_lock_file(
    solutions: Sequence[CondaSolution],
    header: Header,
    *,
    channels: Sequence[ChannelRef],
    spec_file: str,
    pip: Sequence[PipArtifact] = (),
    extra: Sequence[LockPackage] = (),
    categories: Mapping[LockKey, frozenset[str]],
) -> CondaLockFile:
    """The lock records of one variant's solutions and pip artifacts, then `extra` records."""
    packages = [conda_package(p, s.platform) for s in solutions for p in s.packages]
    packages.extend(pip_package(a) for a in pip)
    packages.extend(extra)
    return CondaLockFile(
        packages=tuple(_with_categories(p, categories) for p in packages),
        metadata=LockMetadata(
            content_hash={s.platform: header.input_hash for s in solutions},
            channels=tuple(LockChannel(url=channel_url(ref.name)) for ref in channels),
            platforms=tuple(s.platform for s in solutions),
            sources=(spec_file,),
        ),
    )


def conda_package(package: CondaPackage, platform: str) -> LockPackage:
    return LockPackage(
        name=package.name,
        version=package.version,
        manager="conda",
        platform=platform,
        dependencies=_dependencies(package.depends),
        url=package.url,
        hash=LockHash(md5=package.md5, sha256=package.sha256),
        build=package.build,
    )


def pip_package(artifact: PipArtifact) -> LockPackage:
    vcs = is_vcs_url(artifact.url)
    return LockPackage(
        name=artifact.name,
        version=artifact.version,
        manager="pip",
        platform=artifact.platform,
        url=artifact.url,
        hash=LockHash() if vcs else LockHash(sha256=artifact.sha256),
        source=LockSource(url=artifact.url) if vcs else None,
    )


def _with_categories(
    package: LockPackage, categories: Mapping[LockKey, frozenset[str]]
) -> LockPackage:
    found = categories.get(package.key, _MAIN_ONLY)
    return package if found == package.categories else replace(package, categories=found)


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
