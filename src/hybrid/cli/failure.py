"""How a failure is told: a message on stderr always, and with `--json` one JSON error object
on stdout as well: `{"error": {"kind", "type", "exit_code", "message", "hint"}}` (plus
`problems` for a spec error). The exit code is the same either way."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from hybrid.errors import (
    BackendError,
    FindingsError,
    GuardError,
    HybridError,
    SpecError,
    StaleError,
    UnsatisfiableError,
    UsageError,
)
from hybrid.redact import redact_data

# The first class an error is an instance of names its kind (subclasses before bases).
_KINDS: tuple[tuple[type[HybridError], str], ...] = (
    (FindingsError, "findings"),
    (SpecError, "spec"),
    (GuardError, "guard"),
    (UsageError, "usage"),
    (UnsatisfiableError, "unsatisfiable"),
    (StaleError, "stale"),
    (BackendError, "backend"),
)


def error_kind(exc: BaseException) -> str:
    """A stable word for scripts: findings, spec, guard, usage, unsatisfiable, stale, backend
    or internal (a bug: an `InternalError`, a `HybridError` without a category, or any
    other exception)."""
    if not isinstance(exc, HybridError):
        return "internal"
    return next((kind for cls, kind in _KINDS if isinstance(exc, cls)), "internal")


def error_document(
    exc: BaseException, exit_code: int, *, kind: str | None = None
) -> dict[str, Any]:
    """The JSON error object for `exc`, which made the command exit with `exit_code`; no
    string in it carries credentials."""
    hybrid = exc if isinstance(exc, HybridError) else None
    body: dict[str, Any] = {
        "kind": kind or error_kind(exc),
        "type": type(exc).__name__,
        "exit_code": int(exit_code),
        "message": hybrid.message if hybrid is not None else _plain_message(exc),
        "hint": hybrid.hint if hybrid is not None else None,
    }
    if isinstance(exc, SpecError):
        body["problems"] = list(exc.problems)
    return {"error": redact_data(body)}


def print_error_document(
    exc: BaseException, exit_code: int, *, kind: str | None = None
) -> None:
    sys.stdout.write(
        json.dumps(error_document(exc, exit_code, kind=kind), indent=2, sort_keys=True) + "\n"
    )


def _plain_message(exc: BaseException) -> str:
    if isinstance(exc, click.ClickException):
        return exc.format_message()
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
