"""Ask an environment's own interpreter about itself: its site-packages, markers, pip.

Every snippet runs with `python -I` (isolated: no PYTHONPATH, no user site-packages, no
current directory on sys.path), so what it sees is the environment and nothing else.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hybrid.errors import BackendError
from hybrid.pypi.process import Finished, run

_PROBE = r"""
import importlib.util, json, os, platform, sys, sysconfig

def version(info):
    text = "{0.major}.{0.minor}.{0.micro}".format(info)
    if info.releaselevel != "final":
        text += info.releaselevel[0] + str(info.serial)
    return text

paths = sysconfig.get_paths()
markers = {
    "implementation_name": sys.implementation.name,
    "implementation_version": version(sys.implementation.version),
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "platform_python_implementation": platform.python_implementation(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
    "sys_platform": sys.platform,
}
try:
    has_pip = importlib.util.find_spec("pip.__main__") is not None
except ImportError:
    has_pip = False
print(json.dumps({
    "prefix": sys.prefix,
    "site": sorted({paths["purelib"], paths["platlib"]}),
    "markers": markers,
    "pip": has_pip,
}))
"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Interpreter:
    """An environment's Python, as it describes itself."""

    path: Path
    prefix: Path
    site_dirs: tuple[Path, ...]
    markers: Mapping[str, str] = field(default_factory=dict)
    has_pip: bool = False


def probe(python: Path) -> Interpreter:
    """Run `python` once to learn its prefix, site-packages, PEP 508 markers and pip."""
    finished = run_python(python, _PROBE)
    if finished.returncode != 0:
        raise BackendError(
            f"the environment's interpreter {python} does not run "
            f"(exit code {finished.returncode})",
            hint=finished.stderr.strip()[-2000:] or None,
        )
    try:
        data = json.loads(finished.stdout.strip().splitlines()[-1])
        return Interpreter(
            path=python,
            prefix=Path(data["prefix"]),
            site_dirs=tuple(Path(p) for p in data["site"]),
            markers={str(k): str(v) for k, v in data["markers"].items()},
            has_pip=bool(data["pip"]),
        )
    except (IndexError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackendError(f"cannot read what {python} says about itself: {exc}") from None


def run_python(python: Path, code: str, args: Sequence[str] = (), *, cwd: Path | None = None
               ) -> Finished:
    """Run `python -I -c code args…` with a clean environment."""
    return run([str(python), "-I", "-c", code, *args], cwd=cwd or python.parent,
               env=python_environment(), tool=str(python))


def python_environment() -> dict[str, str]:
    """`os.environ` without the variables that would point an interpreter elsewhere."""
    dropped = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV",
               "__PYVENV_LAUNCHER__")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONIOENCODING"] = "utf-8"
    return env
