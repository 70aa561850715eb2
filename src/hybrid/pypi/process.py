"""Run a resolver subprocess in a controlled environment; log it without secrets."""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hybrid.errors import BackendError
from hybrid.redact import redact

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True, slots=True)
class Finished:
    """A finished subprocess; ``stderr`` already has credentials stripped."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float


PIP_TRANSPORT_SETTINGS = (
    "PIP_CERT",
    "PIP_CLIENT_CERT",
    "PIP_DEFAULT_TIMEOUT",
    "PIP_TIMEOUT",
    "PIP_RETRIES",
    "PIP_PROXY",
    "PIP_CACHE_DIR",
    "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK",
    "PIP_KEYRING_PROVIDER",
)
"""pip settings that change how it talks to an index, never what it resolves or installs."""


def clean_environment(
    *, drop_prefix: str, keep: Iterable[str], extra: Mapping[str, str]
) -> dict[str, str]:
    """``os.environ`` without the tool's own settings (``drop_prefix``) except ``keep``.

    A resolver must see only the options hybrid gives it, or two machines with different
    shells would compile different pins; transport settings (certificates, timeouts,
    caches) named in ``keep`` still pass through.
    """
    env = without_settings(os.environ, prefix=drop_prefix, keep=keep)
    env.pop("MACOSX_DEPLOYMENT_TARGET", None)
    env.update(extra)
    return env


def without_settings(
    env: Mapping[str, str], *, prefix: str, keep: Iterable[str]
) -> dict[str, str]:
    """``env`` without the variables named ``prefix…``, except those in ``keep``."""
    kept = set(keep)
    return {key: value for key, value in env.items() if not key.startswith(prefix) or key in kept}


def run(command: Sequence[str], *, cwd: Path, env: Mapping[str, str], tool: str) -> Finished:
    """Run ``command``; a tool that cannot be started is a BackendError."""
    shown = redact(" ".join(command))
    log.debug("running %s in %s", shown, cwd)
    started = time.monotonic()
    try:
        completed = subprocess.run(
            list(command),
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise BackendError(f"could not run {tool}: {redact(str(exc))}") from exc
    seconds = time.monotonic() - started
    log.info("%s finished with exit code %d in %.1fs", tool, completed.returncode, seconds)
    return Finished(
        returncode=completed.returncode,
        stdout=completed.stdout,
        stderr=redact(completed.stderr),
        seconds=seconds,
    )
