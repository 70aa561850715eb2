"""Check an installed environment: every pip pin present, `pip check` clean, imports work.

`pip check` runs as `<prefix python> -m pip check` when the environment has pip, else as
`uv pip check --python <prefix python>`. Every top-level module of every pip-layer
distribution (from `top_level.txt`, else its RECORD) is imported in the environment's own
interpreter, in one isolated process.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from packaging.version import InvalidVersion, Version

from hybrid.prefix.distributions import InstalledDistribution, scan
from hybrid.prefix.interpreter import Interpreter, python_environment, run_python
from hybrid.pypi.process import clean_environment, run
from hybrid.pypi.uv_backend import UV_TRANSPORT_SETTINGS, uv_binary
from hybrid.readback.requirements import LockedPin

ProblemKind = Literal["missing", "version", "pip-check", "import"]

_IMPORT_ALL = r"""
import importlib, json, sys
failed = {}
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except BaseException as exc:
        failed[name] = (type(exc).__name__ + ": " + str(exc)).strip()
print(json.dumps(failed))
"""
# Lines of `pip check` / `uv pip check` output that report no problem.
_PIP_CHECK_INFO = ("No broken requirements found", "Checked ", "All installed packages",
                   "Using Python ", "Found ")


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem:
    kind: ProblemKind
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}: {self.detail}"


@dataclass(frozen=True, kw_only=True, slots=True)
class VerifyReport:
    pip_check_tool: str
    imported: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_environment(interpreter: Interpreter, pins: Sequence[LockedPin]) -> VerifyReport:
    """Check the pip layer `pins` in the environment of `interpreter`."""
    installed = {d.name: d for d in scan(interpreter.site_dirs) if d.installer != "conda"}
    problems = [p for pin in pins if (p := _pin_problem(pin, installed.get(pin.name)))]
    tool, lines = pip_check(interpreter)
    problems += [Problem(kind="pip-check", subject=tool, detail=line) for line in lines]
    modules = sorted({m for pin in pins if pin.name in installed
                      for m in installed[pin.name].top_level_modules()})
    failed = import_modules(interpreter, modules)
    problems += [Problem(kind="import", subject=name, detail=failed[name])
                 for name in sorted(failed)]
    imported = tuple(m for m in modules if m not in failed)
    return VerifyReport(pip_check_tool=tool, imported=imported, problems=tuple(problems))


def _pin_problem(pin: LockedPin, found: InstalledDistribution | None) -> Problem | None:
    if found is None:
        return Problem(kind="missing", subject=pin.name, detail=f"{pin.label} is not installed")
    if pin.version is not None and not _same_version(found.version, pin.version):
        return Problem(kind="version", subject=pin.name,
                       detail=f"{found.label} is installed, the lock pins {pin.version}")
    return None


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def pip_check(interpreter: Interpreter) -> tuple[str, list[str]]:
    """(`pip` or `uv`, the problems `pip check` reports); empty when consistent."""
    if interpreter.has_pip:
        tool = "pip"
        env = {**python_environment(), "PIP_CONFIG_FILE": os.devnull}
        command = [str(interpreter.path), "-I", "-m", "pip", "check", "--no-color",
                   "--disable-pip-version-check"]
    else:
        tool = "uv"
        env = clean_environment(drop_prefix="UV_", keep=UV_TRANSPORT_SETTINGS,
                                extra={"NO_COLOR": "1"})
        command = [uv_binary(), "pip", "check", "--no-config", "--python", str(interpreter.path)]
    finished = run(command, cwd=interpreter.prefix, env=env, tool=f"{tool} check")
    output = (finished.stdout + "\n" + finished.stderr).splitlines()
    lines = [line.strip() for line in output
             if line.strip() and not line.strip().startswith(_PIP_CHECK_INFO)]
    if finished.returncode == 0:
        lines = [line for line in lines if not line.lower().startswith("warning")]
    elif not lines:
        lines = [finished.stderr.strip()[-1000:] or f"exit code {finished.returncode}"]
    return tool, lines


def import_modules(interpreter: Interpreter, modules: Sequence[str]) -> dict[str, str]:
    """{module: error} for each of `modules` the environment's interpreter cannot import."""
    if not modules:
        return {}
    finished = run_python(interpreter.path, _IMPORT_ALL, [json.dumps(list(modules))],
                          cwd=interpreter.prefix)
    try:
        failed = json.loads(finished.stdout.strip().splitlines()[-1])
        return {str(k): str(v) for k, v in failed.items()}
    except (IndexError, ValueError, AttributeError):
        reason = finished.stderr.strip()[-500:] or f"exit code {finished.returncode}"
        return {name: f"the import check crashed: {reason}" for name in modules}
