"""Create an environment from one variant's outputs: conda layer, then pip layer, then checks."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hybrid.errors import BackendError, ExplicitFileError
from hybrid.install.conda_layer import CondaLayerReport, install_conda_layer
from hybrid.install.pip_layer import (
    DEFAULT_INSTALLER,
    PipLayerReport,
    install_pip_layer,
    install_project,
)
from hybrid.install.plan import InstallPlan
from hybrid.prefix.interpreter import Interpreter, probe
from hybrid.prefix.paths import check_target, python_path
from hybrid.prefix.verify import VerifyReport, verify_environment
from hybrid.readback.explicit import read_explicit
from hybrid.readback.requirements import LockedPin, read_pins

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True, slots=True)
class InstallOptions:
    """`cache` holds downloaded archives (`archives/`) and rattler's extracted packages."""

    cache: Path
    mirrors: Mapping[str, str] = field(default_factory=dict)
    installer: str = DEFAULT_INSTALLER
    verify: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class InstallReport:
    prefix: Path
    plan: InstallPlan
    conda: CondaLayerReport
    pip_pins: tuple[LockedPin, ...]
    pip: PipLayerReport | None
    verification: VerifyReport | None
    #: the editable install of the spec's `project:`
    project: PipLayerReport | None = None

    @property
    def ok(self) -> bool:
        return self.verification is None or self.verification.ok


def install_environment(plan: InstallPlan, prefix: Path, options: InstallOptions) -> InstallReport:
    """Install `plan` into `prefix`: every conda package first, the pip layer strictly after."""
    explicit = read_explicit(plan.explicit)
    if explicit.platform is not None and explicit.platform != plan.platform:
        raise ExplicitFileError(
            f"{plan.explicit} is for {explicit.platform}, this machine is {plan.platform}"
        )
    check_target(prefix)
    conda = install_conda_layer(
        explicit, prefix, mirrors=options.mirrors, cache=options.cache,
        requested=plan.requested_specs(),
    )
    interpreter = _interpreter(prefix, plan.platform)
    pins: list[LockedPin] = []
    pip = None
    # the base's requirements.txt, then the group's (only what it adds), each --no-deps
    for requirements in (plan.requirements, plan.group_requirements):
        if requirements is None:
            continue
        if interpreter is None:
            raise BackendError(
                f"the conda layer installed no Python at {python_path(prefix, plan.platform)}, "
                "so the pip layer cannot be installed",
                hint="add `python` to the spec (`python: \"3.x\"`) and run `hybrid solve`",
            )
        found = read_pins(requirements, interpreter.markers)
        pins.extend(found)
        if found:
            done = install_pip_layer(requirements, interpreter, installer=options.installer)
            pip = done if pip is None else _joined(pip, done)
        else:
            log.info("no pin of %s applies to %s", requirements.name, plan.platform)
    project = None
    if plan.project is not None:  # the lab's own package: editable, last, no dependencies
        if interpreter is None:
            raise BackendError(
                f"the conda layer installed no Python at {python_path(prefix, plan.platform)}, "
                f"so the project {plan.project} cannot be installed",
                hint="add `python` to the spec (`python: \"3.x\"`) and run `hybrid solve`",
            )
        project = install_project(plan.project, interpreter, installer=options.installer)
    verification = None
    if options.verify and interpreter is not None:
        verification = verify_environment(interpreter, pins)
    return InstallReport(
        prefix=prefix, plan=plan, conda=conda, pip_pins=tuple(pins), pip=pip,
        verification=verification, project=project,
    )


def _joined(first: PipLayerReport, second: PipLayerReport) -> PipLayerReport:
    return PipLayerReport(
        installer=first.installer,
        seconds=first.seconds + second.seconds,
        output="\n".join(filter(None, (first.output, second.output))),
    )


def _interpreter(prefix: Path, platform: str) -> Interpreter | None:
    python = python_path(prefix, platform)
    if not python.exists():
        log.info("no interpreter at %s", python)
        return None
    return probe(python)
