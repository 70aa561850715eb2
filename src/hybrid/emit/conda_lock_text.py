"""A `CondaLockFile` as the text conda-lock's writer gives it (`write_conda_lock_file` without
its help text), byte for byte, without importing conda-lock or PyYAML.

conda-lock's order: packages sorted by (manager, name, platform), conda's virtual packages
(`__glibc`…) left out, each package's dependencies sorted by name, and one entry per
category (sorted) with `optional: true` for any category but `main`. Fields that are None are
left out; `dependencies` and `hash` are always written (`{}` when empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlparse, urlunparse

from hybrid.emit.conda_lock_model import (
    LOCK_VERSION,
    MAIN,
    CondaLockFile,
    LockChannel,
    LockMetadata,
    LockPackage,
)
from hybrid.emit.pyyaml_block import Value, dump_block


def conda_lock_text(lock: CondaLockFile) -> str:
    """The body of a `conda-lock.yml` (no comment header) for `lock`.

    A package without a category would be written as no entry at all: ValueError."""
    packages = sorted(lock.packages, key=lambda p: p.key)
    uncategorized = [p.key for p in packages if not p.categories]
    if uncategorized:
        raise ValueError(f"packages without a category would be left out: {uncategorized}")
    entries = [
        _entry(package, category)
        for package in packages
        if not (package.manager == "conda" and package.name.startswith("__"))
        for category in sorted(package.categories)
    ]
    return dump_block(
        {"version": LOCK_VERSION, "metadata": _metadata(lock.metadata), "package": entries}
    )


def channel_url(written: str) -> str:
    """A channel as conda-lock records it: a name as given, a URL as `urllib` re-assembles it."""
    return urlunparse(urlparse(written)) if "://" in written else written


def _entry(package: LockPackage, category: str) -> dict[str, Value]:
    entry: dict[str, Value] = {
        "name": package.name,
        "version": package.version,
        "manager": package.manager,
        "platform": package.platform,
        "dependencies": dict(sorted(package.dependencies.items())),
        "url": package.url,
        "hash": _present({"md5": package.hash.md5, "sha256": package.hash.sha256}),
    }
    if package.source is not None:
        entry["source"] = {"type": "url", "url": package.source.url}
    if package.build is not None:
        entry["build"] = package.build
    entry["category"] = category
    entry["optional"] = category != MAIN
    return entry


def _metadata(meta: LockMetadata) -> dict[str, Value]:
    out: dict[str, Value] = {
        "content_hash": dict(meta.content_hash),
        "channels": [_channel(c) for c in meta.channels],
        "platforms": list(meta.platforms),
        "sources": list(meta.sources),
    }
    if meta.time_metadata is not None:
        out["time_metadata"] = {"created_at": meta.time_metadata.created_at}
    if meta.git_metadata is not None:
        git = meta.git_metadata
        out["git_metadata"] = _present(
            {"git_user_name": git.git_user_name, "git_user_email": git.git_user_email,
             "git_sha": git.git_sha}
        )  # fmt: skip
    if meta.inputs_metadata is not None:
        out["inputs_metadata"] = {
            name: _present({"md5": i.md5, "sha256": i.sha256})
            for name, i in meta.inputs_metadata.items()
        }
    if meta.custom_metadata is not None:
        out["custom_metadata"] = dict(meta.custom_metadata)
    return out


def _channel(channel: LockChannel) -> dict[str, Value]:
    return {"url": channel.url, "used_env_vars": list(channel.used_env_vars)}


def _present(fields: Mapping[str, str | None]) -> dict[str, Value]:
    return {key: value for key, value in fields.items() if value is not None}
