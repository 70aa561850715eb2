"""Where an environment lives and what is inside: the target prefix, its interpreter.

`hybrid install -n NAME` puts the environment in `$HYBRID_ENVS_DIR/NAME`, or
`~/.hybrid/envs/NAME` when that variable is unset.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import rattler

from hybrid.errors import UsageError

ENVS_DIR_ENV = "HYBRID_ENVS_DIR"
CONDA_META = "conda-meta"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def current_platform() -> str:
    """The conda platform of this machine: `linux-64`, `osx-arm64`, `win-64`, …"""
    try:
        return str(rattler.Subdir.current())
    except RuntimeError as exc:
        raise UsageError(f"this machine is not a conda platform hybrid knows ({exc})") from None


def envs_dir() -> Path:
    override = os.environ.get(ENVS_DIR_ENV)
    return Path(override).expanduser() if override else Path.home() / ".hybrid" / "envs"


def named_prefix(name: str) -> Path:
    """The prefix of the environment called `name` (`-n NAME`)."""
    if not _NAME.fullmatch(name) or name in (".", ".."):
        raise UsageError(
            f"-n {name!r}: an environment name is letters, digits, `.`, `_` and `-`",
            hint="use --prefix PATH for an environment anywhere else",
        )
    return envs_dir() / name


def python_path(prefix: Path, platform: str) -> Path:
    """The interpreter a conda `python` package installs into `prefix` on `platform`."""
    if platform.startswith("win-"):
        return prefix / "python.exe"
    return prefix / "bin" / "python"


def is_environment(prefix: Path) -> bool:
    return (prefix / CONDA_META).is_dir()


def check_target(prefix: Path) -> None:
    """Refuse a target that exists and is neither empty nor a conda environment."""
    if not prefix.exists():
        return
    if not prefix.is_dir():
        raise UsageError(f"{prefix} exists and is not a directory")
    if is_environment(prefix) or not any(prefix.iterdir()):
        return
    raise UsageError(
        f"{prefix} is a non-empty directory but not a conda environment (no {CONDA_META}/)",
        hint="choose another --prefix, or empty the directory first",
    )


def site_packages_dirs(prefix: Path) -> list[Path]:
    """The site-packages directories found in `prefix`, without running its interpreter."""
    found = sorted(prefix.glob("lib/python*/site-packages"))
    found += [p for p in (prefix / "Lib" / "site-packages",) if p.is_dir()]
    return [p for p in found if p.is_dir()]
