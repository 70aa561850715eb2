"""`snapshot: {date, exempt}`: exempt distributions ignore the snapshot in the pip layer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from hybrid.errors import UsageError
from hybrid.pypi.model import PipTarget
from hybrid.pypi.resolver import CompileRequest, get_resolver

pytestmark = pytest.mark.network
OLD = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
TARGET = PipTarget(platform="linux-64", python_version="3.11.9")


def _six(tmp_path: Path, exempt: tuple[str, ...]) -> Version:
    result = get_resolver("uv").compile(
        CompileRequest(
            requirements=(Requirement("six"),),
            target=TARGET,
            workdir=tmp_path,
            exclude_newer=OLD,
            exempt=tuple(exempt),
        )
    )
    return result.pins[0].version


def test_snapshot_holds_back_what_is_not_exempt(tmp_path: Path) -> None:
    assert _six(tmp_path, ()) < Version("1.14")


def test_exempt_distributions_ignore_the_snapshot(tmp_path: Path) -> None:
    assert _six(tmp_path, ("six",)) >= Version("1.17")


def test_pip_tools_cannot_exempt(tmp_path: Path) -> None:
    import sys

    native = PipTarget(platform="linux-64", python_version=".".join(map(str, sys.version_info[:3])))
    with pytest.raises(UsageError, match="cannot exempt"):
        get_resolver("pip-tools").compile(
            CompileRequest(
                requirements=(Requirement("six"),),
                target=native,
                workdir=tmp_path,
                exclude_newer=OLD,
                exempt=("six",),
            )
        )
