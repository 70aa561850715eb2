"""The default pip-layer resolver: ``uv pip compile``, for any platform from any machine."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement

from hybrid.errors import BackendError, HybridError
from hybrid.pypi.directrefs import pin_direct_references
from hybrid.pypi.explain import unsatisfiable
from hybrid.pypi.inputs import utc_timestamp, write_inputs, write_preferences
from hybrid.pypi.model import (
    IndexOptions,
    PipLayerResult,
    PipTarget,
)
from hybrid.pypi.pins import collect_pins
from hybrid.pypi.piperrors import without_build_output
from hybrid.pypi.platforms import python_version, uv_environment, uv_python_platform
from hybrid.pypi.process import Finished, clean_environment, run
from hybrid.pypi.reqfile import parse_compiled
from hybrid.pypi.resolver import CompileRequest
from hybrid.pypi.stubs import Bridge

log = logging.getLogger(__name__)

UV_TRANSPORT_SETTINGS = (
    "UV_CACHE_DIR",
    "UV_NO_CACHE",
    "UV_HTTP_TIMEOUT",
    "UV_HTTP_RETRIES",
    "UV_REQUEST_TIMEOUT",
    "UV_NATIVE_TLS",
    "UV_SYSTEM_CERTS",
    "UV_CONCURRENT_DOWNLOADS",
    "UV_CONCURRENT_BUILDS",
    "UV_OFFLINE",
    "UV_INSECURE_HOST",
    "UV_KEYRING_PROVIDER",
)
"""uv settings that change how it talks to an index, never what it resolves."""

_NO_SOLUTION = "No solution found when resolving dependencies"


class UvResolver:
    """``uv pip compile`` against the stub bridge; hashes for every file of every pin.

    With extra index URLs uv keeps its ``first-index`` strategy: a name found on an earlier
    index is never taken from a later one (pip would take the best version of any index).
    """

    name = "uv"
    cross_platform = True
    torch_backend = True

    def compile(self, request: CompileRequest) -> PipLayerResult:
        target, workdir = request.target, request.workdir
        source, bridge = write_inputs(request.requirements, request.provided, workdir)
        command = [
            *_command(source, bridge, request.index, request.exclude_newer),
            "--python-version", str(python_version(target)),
            "--python-platform", uv_python_platform(target),
        ]
        if request.exclude_newer is not None:
            command += [f"--exclude-newer-package={name}=false" for name in sorted(request.exempt)]
        if target.torch_backend is not None:
            command += ["--torch-backend", target.torch_backend]
        if request.preferences:
            # uv keeps the pins of an existing output file where it can: the previous lock.
            command += ["--output-file", str(write_preferences(request.preferences, workdir))]
        env = clean_environment(
            drop_prefix="UV_",
            keep=UV_TRANSPORT_SETTINGS,
            extra=_extra_environment(target, request.index),
        )
        finished = run(command, cwd=workdir, env=env, tool="uv")
        if finished.returncode != 0:
            raise _failure(finished, request.requirements, bridge, target)
        lines = parse_compiled(finished.stdout, tool="uv")
        direct = pin_direct_references(
            [line.requirement for line in lines if line.requirement.url],
            request.index,
            workdir=workdir,
        )
        pins = collect_pins(lines, direct, tool="uv")
        log.info("uv pinned %d distributions for %s in %.1fs",
                 len(pins), target.platform, finished.seconds)
        return PipLayerResult(target=target, pins=pins, resolver=f"uv {uv_version()}")


@cache
def uv_version() -> str:
    """The version of the ``uv`` package that ships the binary."""
    try:
        return version("uv")
    except PackageNotFoundError:
        return "unknown"


def uv_binary() -> str:
    """The uv binary of the ``uv`` package; BackendError when it is not installed."""
    try:
        from uv import find_uv_bin
    except ImportError as exc:
        raise BackendError("the `uv` package is not installed; pip install uv") from exc
    try:
        return str(find_uv_bin())
    except FileNotFoundError as exc:
        raise BackendError(f"the uv binary is missing: {exc}") from exc


def _command(
    source: Path, bridge: Bridge, index: IndexOptions, exclude_newer: datetime | None
) -> list[str]:
    command = [
        uv_binary(), "pip", "compile", str(source),
        "--no-config", "--no-python-downloads", "--python", sys.executable,
        "--generate-hashes", "--no-header", "--no-annotate", "--emit-index-annotation",
        "--color", "never", "--no-progress",
        "--find-links", str(bridge.find_links),
        *(f"--find-links={link}" for link in index.find_links),
    ]
    if bridge.stubbed:
        command += ["--constraints", str(bridge.constraints)]
    if exclude_newer is not None:
        command += ["--exclude-newer", utc_timestamp(exclude_newer)]
    return command


def _extra_environment(target: PipTarget, index: IndexOptions) -> dict[str, str]:
    # Index URLs go through the environment, not argv, so credentials stay out of `ps`.
    extra = {"NO_COLOR": "1", **uv_environment(target)}
    if index.index_url:
        extra["UV_DEFAULT_INDEX"] = index.index_url
    if index.extra_index_urls:
        extra["UV_INDEX"] = " ".join(index.extra_index_urls)
    return extra


def _failure(
    finished: Finished, requirements: Sequence[Requirement], bridge: Bridge, target: PipTarget
) -> HybridError:
    text = without_build_output(finished.stderr.strip())
    if _NO_SOLUTION in text:
        return unsatisfiable(
            text, requirements=requirements, stubbed=bridge.stubbed, target=target, resolver="uv"
        )
    return BackendError(
        f"uv pip compile failed for {target.platform} (exit code {finished.returncode})",
        hint=text[-4000:] or None,
    )
