"""The JSON error object: its `kind` follows the error's class, its `exit_code` the exit."""

from __future__ import annotations

import click
import pytest

from hybrid.cli.failure import error_document, error_kind
from hybrid.errors import (
    ChannelError,
    CondaUnsatisfiableError,
    ExitCode,
    ExplicitFileError,
    GuardError,
    HybridError,
    ImportBugError,
    SpecError,
    StaleError,
    UsageError,
    VerificationError,
)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (VerificationError("import failed"), "findings"),
        (SpecError(["spec.yaml:1:1: bad"]), "spec"),
        (GuardError("numpy in both layers"), "guard"),
        (ExplicitFileError("conda-linux-64.lock:3: no hash"), "usage"),
        (UsageError("give --prefix"), "usage"),
        (CondaUnsatisfiableError(platform="linux-64", explanation="no numpy"), "unsatisfiable"),
        (StaleError("outputs are stale"), "stale"),
        (ChannelError("no such channel"), "backend"),
        (ImportBugError("the spec does not validate"), "internal"),
        (HybridError("no category"), "internal"),
        (RuntimeError("boom"), "internal"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else str(v),
)
def test_each_class_has_its_kind(exc: BaseException, kind: str) -> None:
    assert error_kind(exc) == kind


def test_the_document_of_a_bug() -> None:
    document = error_document(RuntimeError("boom"), ExitCode.INTERNAL)
    assert document == {"error": {
        "kind": "internal", "type": "RuntimeError", "exit_code": 70,
        "message": "RuntimeError: boom", "hint": None,
    }}
    assert type(document["error"]["exit_code"]) is int


def test_a_click_usage_error_keeps_the_kind_it_is_given() -> None:
    document = error_document(click.UsageError("no such option"), ExitCode.USAGE, kind="usage")
    assert (document["error"]["kind"], document["error"]["exit_code"]) == ("usage", 2)
