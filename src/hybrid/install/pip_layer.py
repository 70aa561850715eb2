"""Install the pip layer, strictly after the conda layer, into the environment's interpreter.

`uv pip install --no-deps --require-hashes -r requirements.txt --python <prefix python>`
by default; `pip` runs `<prefix python> -m pip install …` with the same flags. Neither sees
the user's configuration: uv gets `--no-config` and no `UV_*` variable except transport
settings; pip gets `PIP_CONFIG_FILE=/dev/null` (so no /etc/pip.conf, user or site file) and
no `PIP_*` variable except transport settings. What the file says is what gets installed.

A version-control pin (`name @ git+…@<commit>`) has no hash, and both refuse it with
`--require-hashes`. A file holding one is installed without the flag: uv still checks every
hash the file gives; pip turns hash-checking on for the whole file as soon as one line has a
`--hash`, so with pip the file is installed in two runs, its other lines with
`--require-hashes`, then its options and the version-control pins without.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from packaging.utils import canonicalize_name

from hybrid.errors import PipInstallError, UsageError
from hybrid.prefix.interpreter import Interpreter, python_environment
from hybrid.pypi.process import (
    PIP_TRANSPORT_SETTINGS,
    clean_environment,
    run,
    without_settings,
)
from hybrid.pypi.reqfile import parse_compiled
from hybrid.pypi.uv_backend import UV_TRANSPORT_SETTINGS, uv_binary

log = logging.getLogger(__name__)


class PipLayerInstaller(Protocol):
    """A way to install a hash-checked requirements file into an interpreter."""

    name: str
    #: True when the installer runs inside the environment (needs pip there).
    needs_pip_in_environment: bool
    #: True when one `--hash` in a file turns hash-checking on for all of it (pip)
    hashes_all_or_nothing: bool

    def command(
        self, python: Path, requirements: Path, *, require_hashes: bool = True
    ) -> list[str]: ...

    def editable(self, python: Path, project: Path) -> list[str]: ...

    def environment(self) -> dict[str, str]: ...


class UvInstaller:
    name = "uv"
    needs_pip_in_environment = False
    hashes_all_or_nothing = False

    def command(
        self, python: Path, requirements: Path, *, require_hashes: bool = True
    ) -> list[str]:
        return [
            uv_binary(), "pip", "install", "--no-config", "--no-python-downloads",
            "--no-deps", *(["--require-hashes"] if require_hashes else []), "--color", "never",
            "--no-progress", "--python", str(python), "-r", str(requirements),
        ]

    def editable(self, python: Path, project: Path) -> list[str]:
        return [
            uv_binary(), "pip", "install", "--no-config", "--no-python-downloads",
            "--no-deps", "--color", "never", "--no-progress",
            "--python", str(python), "-e", str(project),
        ]

    def environment(self) -> dict[str, str]:
        return clean_environment(drop_prefix="UV_", keep=UV_TRANSPORT_SETTINGS,
                                 extra={"NO_COLOR": "1"})


class PipInstaller:
    name = "pip"
    needs_pip_in_environment = True
    hashes_all_or_nothing = True

    def command(
        self, python: Path, requirements: Path, *, require_hashes: bool = True
    ) -> list[str]:
        return [
            str(python), "-I", "-m", "pip", "install", "--no-deps",
            *(["--require-hashes"] if require_hashes else []), "--no-input", "--no-color",
            "--disable-pip-version-check", "-r", str(requirements),
        ]

    def editable(self, python: Path, project: Path) -> list[str]:
        return [
            str(python), "-I", "-m", "pip", "install", "--no-deps", "--no-input", "--no-color",
            "--disable-pip-version-check", "-e", str(project),
        ]

    def environment(self) -> dict[str, str]:
        env = without_settings(python_environment(), prefix="PIP_", keep=PIP_TRANSPORT_SETTINGS)
        env["PIP_CONFIG_FILE"] = os.devnull
        return env


INSTALLERS: dict[str, Callable[[], PipLayerInstaller]] = {"uv": UvInstaller, "pip": PipInstaller}
DEFAULT_INSTALLER = "uv"


@dataclass(frozen=True, kw_only=True, slots=True)
class PipLayerReport:
    installer: str
    seconds: float
    output: str


def install_pip_layer(
    requirements: Path, interpreter: Interpreter, *, installer: str = DEFAULT_INSTALLER
) -> PipLayerReport:
    """Install `requirements` (no dependencies, every hash checked; a version-control pin,
    which has none, without `--require-hashes`) into `interpreter`."""
    backend = _installer(installer, interpreter)
    source = requirements.resolve()
    unhashable = unhashable_names(source)
    if not unhashable:
        return _install(backend, interpreter, source, cwd=requirements.parent)
    log.info("%s: version-control pins (%s) install without --require-hashes",
             requirements.name, ", ".join(unhashable))
    if not backend.hashes_all_or_nothing:
        return _install(backend, interpreter, source, cwd=requirements.parent,
                        require_hashes=False)
    with tempfile.TemporaryDirectory(prefix="hybrid-pip-") as tmp:
        hashed, vcs = split_unhashable(source, unhashable, Path(tmp))
        first = _install(backend, interpreter, hashed, cwd=requirements.parent)
        second = _install(backend, interpreter, vcs, cwd=requirements.parent,
                          require_hashes=False)
    return PipLayerReport(
        installer=installer, seconds=first.seconds + second.seconds,
        output="\n".join(filter(None, (first.output, second.output))),
    )


def unhashable_names(requirements: Path) -> tuple[str, ...]:
    """The canonical names of the direct references of `requirements` without a hash (the
    version-control pins, `pypi.pins.unhashable_pins`), sorted."""
    lines = parse_compiled(requirements.read_text(encoding="utf-8"), tool=requirements.name)
    return tuple(sorted({
        canonicalize_name(line.requirement.name)
        for line in lines
        if line.requirement.url and not line.hashes
    }))


def split_unhashable(
    requirements: Path, names: tuple[str, ...], directory: Path
) -> tuple[Path, Path]:
    """Two files in `directory`: `requirements` without the pins of `names`, and its options
    with only those pins (a version-control pin is one line, as requirements.txt writes it)."""
    pin = re.compile(rf"^({'|'.join(re.escape(n) for n in names)}) @ ", re.IGNORECASE)
    lines = requirements.read_text(encoding="utf-8").splitlines()
    hashed = directory / f"hashed-{requirements.name}"
    vcs = directory / f"vcs-{requirements.name}"
    hashed.write_text("".join(f"{x}\n" for x in lines if not pin.match(x)), encoding="utf-8")
    vcs.write_text("".join(f"{x}\n" for x in lines if pin.match(x) or x.startswith("--")),
                   encoding="utf-8")
    return hashed, vcs


def _install(
    backend: PipLayerInstaller, interpreter: Interpreter, requirements: Path, *, cwd: Path,
    require_hashes: bool = True,
) -> PipLayerReport:
    command = backend.command(interpreter.path, requirements, require_hashes=require_hashes)
    finished = run(command, cwd=cwd, env=backend.environment(), tool=backend.name)
    if finished.returncode != 0:
        raise PipInstallError(
            f"{backend.name} could not install the pip layer from {requirements} "
            f"(exit code {finished.returncode}); the conda layer is installed",
            hint=(finished.stderr or finished.stdout).strip()[-4000:] or None,
        )
    log.info("pip layer installed with %s in %.1fs", backend.name, finished.seconds)
    return PipLayerReport(
        installer=backend.name, seconds=finished.seconds,
        output=(finished.stderr + finished.stdout).strip(),
    )


def install_project(
    project: Path, interpreter: Interpreter, *, installer: str = DEFAULT_INSTALLER
) -> PipLayerReport:
    """Install the lab's project at `project` editable, with no dependencies (both layers hold
    them; `pip check` afterwards tells one that neither does), strictly after them."""
    backend = _installer(installer, interpreter)
    command = backend.editable(interpreter.path, project)
    finished = run(command, cwd=project, env=backend.environment(), tool=installer)
    if finished.returncode != 0:
        raise PipInstallError(
            f"{installer} could not install the project {project} (editable, exit code "
            f"{finished.returncode}); both layers are installed",
            hint=(finished.stderr or finished.stdout).strip()[-4000:] or None,
        )
    log.info("project %s installed editable with %s in %.1fs", project, installer,
             finished.seconds)
    return PipLayerReport(
        installer=installer, seconds=finished.seconds,
        output=(finished.stderr + finished.stdout).strip(),
    )


def _installer(installer: str, interpreter: Interpreter) -> PipLayerInstaller:
    try:
        backend = INSTALLERS[installer]()
    except KeyError:
        raise UsageError(f"unknown pip-layer installer {installer!r}; "
                         f"choose from {', '.join(sorted(INSTALLERS))}") from None
    if backend.needs_pip_in_environment and not interpreter.has_pip:
        raise UsageError(
            f"--installer {installer} runs pip inside the environment, "
            f"but {interpreter.path} has no pip",
            hint="use the default installer (uv), or add `pip` to the conda layer",
        )
    return backend
