"""The default pip-layer resolver: ``uv pip compile``, for any platform from any machine.

uv writes its answer as a pylock.toml (`hybrid.pypi.pylockfile`): the pins and, for each,
the files that fit the target with their URLs and hashes, so the artifacts of the unified
lock come from uv and no index page is read again.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

from packaging.utils import canonicalize_name

from hybrid.errors import BackendError, HybridError
from hybrid.pypi.artifacts import DEFAULT_INDEX
from hybrid.pypi.explain import unsatisfiable
from hybrid.pypi.extras import missing_extras
from hybrid.pypi.inputs import utc_timestamp, write_inputs
from hybrid.pypi.model import (
    IndexOptions,
    PinnedDistribution,
    PipLayerResult,
    PipTarget,
)
from hybrid.pypi.offline import cache_miss
from hybrid.pypi.piperrors import without_build_output
from hybrid.pypi.platforms import facts_for, python_version, uv_environment, uv_python_platform
from hybrid.pypi.process import Finished, clean_environment, run
from hybrid.pypi.pylockfile import PYLOCK_NAME, layer_pins, read_pylock, write_preferences
from hybrid.pypi.resolver import CompileRequest
from hybrid.pypi.stubs import Bridge
from hybrid.pypi.torch_index import index_url
from hybrid.pypi.wheelfloor import no_wheel

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
# With `pip-build`, uv is asked again with building disabled for each package it pinned as
# an sdist without leave; each round adds names, so few rounds are ever needed.
MAX_BUILD_ROUNDS = 4


class UvResolver:
    """``uv pip compile`` against the stub bridge; the files of every pin that fit the target.

    With extra index URLs uv keeps its ``first-index`` strategy: a name found on an earlier
    index is never taken from a later one (pip would take the best version of any index).

    Wheels only: ``--only-binary :all:`` (a direct reference that is no wheel may be built).
    With names the spec lets be built (``may_build``) uv has no "wheel, else sdist for these
    only" switch, so it resolves without that restriction and is asked again with
    ``--only-binary <name>`` for every other name it pinned without a fitting wheel.
    """

    name = "uv"
    cross_platform = True
    torch_backend = True

    def check_target(self, target: PipTarget) -> None:
        facts_for(target.platform)  # every platform with wheel facts; UsageError otherwise

    def compile(self, request: CompileRequest) -> PipLayerResult:
        target, workdir = request.target, request.workdir
        source, bridge = write_inputs(request.requirements, request.provided, workdir)
        output = workdir / PYLOCK_NAME
        command = [
            *_command(source, bridge, request.index, request.exclude_newer),
            "--python-version", str(python_version(target)),
            "--python-platform", uv_python_platform(target),
            "--format", "pylock.toml", "--output-file", str(output),
        ]
        if request.exclude_newer is not None:
            command += [f"--exclude-newer-package={name}=false" for name in sorted(request.exempt)]
        if target.torch_backend is not None:
            command += ["--torch-backend", target.torch_backend]
        if request.offline:
            command.append("--offline")
        env = clean_environment(
            drop_prefix="UV_",
            keep=UV_TRANSPORT_SETTINGS,
            extra=_extra_environment(target, request.index),
        )
        refused: set[str] = set()  # names uv must not build (rounds with `may_build` only)
        for _ in range(MAX_BUILD_ROUNDS):
            pins, seconds, stderr = _resolve([*command, *_build_options(request, refused)], env,
                                             request, bridge, output)
            wheel_less = {pin.name for pin in pins if _needs_build(pin)} - set(request.may_build)
            if not wheel_less:
                break
            refused |= wheel_less
        else:
            raise BackendError(f"uv kept pinning sdists of {', '.join(sorted(refused))} on "
                               f"{target.platform} although building them is disabled")
        _check_files(pins, target)
        log.info("uv pinned %d distributions for %s in %.1fs", len(pins), target.platform, seconds)
        return PipLayerResult(target=target, pins=pins, resolver=f"uv {uv_version()}",
                              may_build=request.may_build, missing_extras=missing_extras(stderr))


@cache
def uv_version() -> str:
    """The version of the ``uv`` package that ships the binary."""
    try:
        return version("uv")
    except PackageNotFoundError:
        return "unknown"


_FINDING_UV = threading.Lock()


@cache
def _uv_binary() -> str:
    try:
        from uv import find_uv_bin
    except ImportError as exc:
        raise BackendError("the `uv` package is not installed; pip install uv") from exc
    try:
        return str(find_uv_bin())
    except FileNotFoundError as exc:
        raise BackendError(f"the uv binary is missing: {exc}") from exc


def uv_binary() -> str:
    """The uv binary of the ``uv`` package; BackendError when it is not installed.

    Found once, under a lock: `find_uv_bin` reads `sysconfig`, whose first read is not safe
    from several threads (the platforms' compiles run at once; one saw `EXE` as None)."""
    with _FINDING_UV:
        return _uv_binary()


def _resolve(
    command: list[str], env: dict[str, str], request: CompileRequest, bridge: Bridge,
    output: Path,
) -> tuple[tuple[PinnedDistribution, ...], float, str]:
    """One run of uv: the pins of its pylock.toml, how long it took, and its warnings."""
    # uv keeps the pins of an existing output file where it can: the previous lock.
    output.unlink(missing_ok=True)
    if request.preferences:
        write_preferences(request.preferences, output)
    finished = run(command, cwd=request.workdir, env=env, tool="uv")
    if finished.returncode != 0:
        raise _failure(finished, request, bridge)
    torch = request.target.torch_backend
    pins = layer_pins(
        read_pylock(output), may_build=request.may_build, index=request.index,
        indexes=[request.index.index_url or DEFAULT_INDEX, *request.index.extra_index_urls],
        elsewhere=index_url(torch) if torch else None, workdir=request.workdir,
    )
    return pins, finished.seconds, finished.stderr


def _build_options(request: CompileRequest, refused: set[str]) -> list[str]:
    """Wheels only, except a direct reference that is no wheel (it is built, or nothing is);
    with `may_build`, only the names in ``refused`` are held to wheels."""
    if request.may_build:
        return [f"--only-binary={name}" for name in sorted(refused)]
    built = sorted({canonicalize_name(req.name) for req in request.requirements
                    if req.url and not urlsplit(req.url).path.endswith(".whl")})
    return ["--only-binary", ":all:", *(f"--no-binary={name}" for name in built)]


def _needs_build(pin: PinnedDistribution) -> bool:
    return pin.url is None and not any(file.is_wheel for file in pin.files)


def _check_files(pins: Sequence[PinnedDistribution], target: PipTarget) -> None:
    for pin in pins:
        if pin.url is None and not pin.files:
            raise BackendError(f"uv pinned {pin.name} {pin.version} for {target.platform} "
                               "without a file that has a sha256")


def _command(
    source: Path, bridge: Bridge, index: IndexOptions, exclude_newer: datetime | None
) -> list[str]:
    command = [
        uv_binary(), "pip", "compile", str(source),
        "--no-config", "--no-python-downloads", "--python", sys.executable,
        "--generate-hashes", "--no-header",
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


def _failure(finished: Finished, request: CompileRequest, bridge: Bridge) -> HybridError:
    target = request.target
    text = without_build_output(finished.stderr.strip())
    missing = cache_miss(text, target=target) if request.offline else None
    if missing is not None:
        return missing
    floor = no_wheel(text, target=target, index=request.index, offline=request.offline)
    if floor is not None:
        return floor
    if _NO_SOLUTION in text:
        return unsatisfiable(
            text, requirements=request.requirements, stubbed=bridge.stubbed, target=target,
            resolver="uv",
        )
    return BackendError(
        f"uv pip compile failed for {target.platform} (exit code {finished.returncode})",
        hint=text[-4000:] or None,
    )
