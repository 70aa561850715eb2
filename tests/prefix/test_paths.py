"""Where environments go (`-n NAME`) and which targets are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.errors import UsageError
from hybrid.platforms import PLATFORMS
from hybrid.prefix.paths import (
    check_target,
    current_platform,
    named_prefix,
    python_path,
    site_packages_dirs,
)


def test_named_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HYBRID_ENVS_DIR", str(tmp_path))
    assert named_prefix("vision-lab_2.0") == tmp_path / "vision-lab_2.0"
    monkeypatch.delenv("HYBRID_ENVS_DIR")
    assert named_prefix("x") == Path.home() / ".hybrid" / "envs" / "x"
    for bad in ("../x", "a/b", "..", "", "-x"):
        with pytest.raises(UsageError, match="environment name"):
            named_prefix(bad)


def test_targets(tmp_path: Path) -> None:
    check_target(tmp_path / "new")
    check_target(tmp_path)  # empty
    (tmp_path / "conda-meta").mkdir()
    (tmp_path / "bin").mkdir()
    check_target(tmp_path)  # an environment is updated in place
    other = tmp_path / "bin"
    (other / "tool").write_text("")
    with pytest.raises(UsageError, match="not a conda environment"):
        check_target(other)
    with pytest.raises(UsageError, match="not a directory"):
        check_target(other / "tool")


def test_platform_facts(tmp_path: Path) -> None:
    assert current_platform() in PLATFORMS
    assert python_path(tmp_path, "win-64") == tmp_path / "python.exe"
    assert python_path(tmp_path, "osx-arm64") == tmp_path / "bin" / "python"
    (tmp_path / "lib" / "python3.12" / "site-packages").mkdir(parents=True)
    (tmp_path / "Lib" / "site-packages").mkdir(parents=True)
    assert site_packages_dirs(tmp_path) == [
        tmp_path / "lib" / "python3.12" / "site-packages", tmp_path / "Lib" / "site-packages"]
