"""hybrid's `conda-lock.yml` reader on the golden locks, with conda-lock's parser as the oracle:
the same packages, and the records written back are the golden file's bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conda_lock.lockfile import parse_conda_lock_file

from hybrid.emit.conda_lock_text import conda_lock_text
from hybrid.emit.header import parse_output
from hybrid.readback.conda_lock_file import read_conda_lock

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
GOLDEN_LOCKS = sorted(SCENARIOS.glob("*/expected/**/conda-lock.yml"))


def view(package: Any) -> tuple[Any, ...]:
    source = package.source.url if package.source else None
    return (package.manager, package.name, package.platform, package.version, package.build,
            package.url, package.hash.md5, package.hash.sha256, dict(package.dependencies),
            frozenset(package.categories), source)  # fmt: skip


def test_there_are_golden_locks() -> None:
    assert len(GOLDEN_LOCKS) >= 4


@pytest.mark.parametrize("path", GOLDEN_LOCKS, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_the_same_packages_as_conda_locks_parser(path: Path) -> None:
    ours = read_conda_lock(path)
    theirs = parse_conda_lock_file(path)
    assert sorted(map(view, ours.packages)) == sorted(map(view, theirs.package))
    assert ours.metadata.platforms == tuple(theirs.metadata.platforms)
    assert dict(ours.metadata.content_hash) == theirs.metadata.content_hash
    assert [c.url for c in ours.metadata.channels] == [c.url for c in theirs.metadata.channels]


@pytest.mark.parametrize("path", GOLDEN_LOCKS, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_written_back_the_records_are_the_golden_bytes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header_lines = len(parse_output(text).header)
    body = "".join(text.splitlines(keepends=True)[header_lines:])
    assert conda_lock_text(read_conda_lock(path)) == body
