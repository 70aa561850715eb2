"""The pip-tools resolver: ``pip-compile``, for the running interpreter's platform only."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hybrid.errors import BackendError, HybridError, UsageError
from hybrid.pypi.directrefs import pin_direct_references, pip_environment
from hybrid.pypi.explain import unsatisfiable
from hybrid.pypi.extras import missing_extras
from hybrid.pypi.inputs import utc_timestamp, write_inputs, write_preferences
from hybrid.pypi.model import (
    IndexOptions,
    PipLayerResult,
    PipTarget,
)
from hybrid.pypi.pins import collect_pins
from hybrid.pypi.piperrors import is_network_failure, tidy_pip_failure
from hybrid.pypi.platforms import native_platform, python_version
from hybrid.pypi.process import Finished, run
from hybrid.pypi.reqfile import parse_compiled
from hybrid.pypi.resolver import CompileRequest
from hybrid.pypi.stubs import Bridge

log = logging.getLogger(__name__)

_UNSATISFIABLE = re.compile(
    r"ResolutionImpossible|No matching distribution found|Could not find a version that satisfies"
)


class PipToolsResolver:
    """``pip-compile --generate-hashes`` against the stub bridge, on the native platform.

    pip evaluates markers and wheel tags for the interpreter it runs in, so this backend
    cannot compile for another platform or Python; ``glibc``/``macos`` of the target are
    not honoured (the running system's are). Wheels only (pip's ``--only-binary :all:``)
    unless the spec lets some packages be built: pip cannot say "these may be built, nothing
    else", so then the artifact choice refuses an sdist of any other package. pip has no
    offline mode that reads its cache, so an offline compile is refused.
    """

    name = "pip-tools"
    cross_platform = False
    torch_backend = False

    def check_target(self, target: PipTarget) -> None:
        _require_native(target)

    def compile(self, request: CompileRequest) -> PipLayerResult:
        target, workdir, index = request.target, request.workdir, request.index
        _require_native(target)
        if request.offline:
            raise UsageError(
                "pip-tools cannot compile the pip layer offline: pip has no mode that "
                "resolves from its cache alone",
                hint="use --pip-resolver uv (it resolves from its cache with --offline)",
            )
        if request.exclude_newer is not None and request.exempt:
            raise UsageError(
                "pip-tools cannot exempt single packages from the snapshot "
                f"({', '.join(sorted(request.exempt))})",
                hint="use --pip-resolver uv",
            )
        source, bridge = write_inputs(request.requirements, request.provided, workdir)
        output = workdir / "requirements.txt"
        # pip-compile keeps the pins of an existing output file where it can: the previous
        # lock when updating, nothing otherwise.
        output.unlink(missing_ok=True)
        if request.preferences:
            write_preferences(request.preferences, workdir, output)
        command = [*_command(source, output, bridge, index, request.exclude_newer),
                   *_build_options(request)]
        finished = run(command, cwd=workdir, env=pip_environment(index), tool="pip-compile")
        if finished.returncode != 0:
            raise _failure(finished, request.requirements, bridge, target)
        lines = parse_compiled(output.read_text(encoding="utf-8"), tool="pip-compile")
        asked = {canonicalize_name(req.name): req for req in request.requirements if req.url}
        direct = pin_direct_references(
            [asked.get(canonicalize_name(line.requirement.name), line.requirement)
             for line in lines if line.requirement.url],
            index,
            workdir=workdir,
        )
        pins = collect_pins(lines, direct, tool="pip-compile")
        log.info("pip-compile pinned %d distributions for %s in %.1fs",
                 len(pins), target.platform, finished.seconds)
        return PipLayerResult(
            target=target, pins=pins, resolver=f"pip-tools {piptools_version()}",
            may_build=request.may_build, missing_extras=missing_extras(finished.stderr),
        )


@cache
def piptools_version() -> str:
    """The installed pip-tools version."""
    try:
        return version("pip-tools")
    except PackageNotFoundError:
        return "unknown"


def _require_native(target: PipTarget) -> None:
    wanted = python_version(target)
    native = native_platform()
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if target.platform == native and wanted.release[:2] == sys.version_info[:2]:
        if wanted.release != tuple(sys.version_info[:3]):
            log.info("pip-tools compiles with Python %s.%d for a target of Python %s",
                     running, sys.version_info.micro, wanted)
        return
    raise UsageError(
        f"pip-tools compiles only for the platform and Python it runs on "
        f"({native or 'an unknown platform'}, Python {running}), "
        f"not for {target.platform} with Python {target.python_version}",
        hint="use --pip-resolver uv, which compiles for any platform from this machine",
    )


def _build_options(request: CompileRequest) -> list[str]:
    """pip's wheels-only options; a direct reference that is no wheel may be built."""
    if request.may_build:
        return []
    built = sorted({canonicalize_name(req.name) for req in request.requirements
                    if req.url and not urlsplit(req.url).path.endswith(".whl")})
    args = ["--only-binary=:all:", *(f"--no-binary={name}" for name in built)]
    return ["--pip-args", " ".join(args)]


def _command(
    source: Path, output: Path, bridge: Bridge, index: IndexOptions, exclude_newer: datetime | None
) -> list[str]:
    command = [
        sys.executable, "-m", "piptools", "compile", str(source), "--output-file", str(output),
        "--no-config", "--generate-hashes", "--no-header", "--no-annotate", "--allow-unsafe",
        "--strip-extras", "--no-emit-index-url", "--no-emit-find-links", "--no-emit-trusted-host",
        "--newline", "lf", "--no-color",
        "--find-links", str(bridge.find_links),
        *(f"--find-links={link}" for link in index.find_links),
    ]
    if bridge.stubbed:
        command += ["--constraint", str(bridge.constraints)]
    if exclude_newer is not None:
        command += ["--uploaded-prior-to", utc_timestamp(exclude_newer)]
    return command


def _failure(
    finished: Finished, requirements: Sequence[Requirement], bridge: Bridge, target: PipTarget
) -> HybridError:
    text = finished.stderr
    if _UNSATISFIABLE.search(text) and not is_network_failure(text):
        return unsatisfiable(
            tidy_pip_failure(text), requirements=requirements, stubbed=bridge.stubbed,
            target=target, resolver="pip-compile",
        )
    return BackendError(
        f"pip-compile failed for {target.platform} (exit code {finished.returncode})",
        hint=tidy_pip_failure(text)[-4000:] or None,
    )
