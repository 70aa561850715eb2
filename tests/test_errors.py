"""The one error hierarchy: every class lives in `hybrid.errors` and exits with its category."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import hybrid
from hybrid import errors
from hybrid.errors import ExitCode, HybridError

# Every HybridError class and the code the CLI exits with; a new class must be added here.
EXPECTED: dict[type[HybridError], ExitCode] = {
    errors.HybridError: ExitCode.INTERNAL,
    errors.FindingsError: ExitCode.FINDINGS,
    errors.VerificationError: ExitCode.FINDINGS,
    errors.UsageError: ExitCode.USAGE,
    errors.OutputError: ExitCode.USAGE,
    errors.ExplicitFileError: ExitCode.USAGE,
    errors.LockFileError: ExitCode.USAGE,
    errors.SpecError: ExitCode.USAGE,
    errors.GuardError: ExitCode.USAGE,
    errors.UnsatisfiableError: ExitCode.UNSATISFIABLE,
    errors.CondaUnsatisfiableError: ExitCode.UNSATISFIABLE,
    errors.VariantError: ExitCode.UNSATISFIABLE,
    errors.IncompleteLockError: ExitCode.UNSATISFIABLE,
    errors.GroupConflictError: ExitCode.UNSATISFIABLE,
    errors.AbiCoupledWheelError: ExitCode.UNSATISFIABLE,
    errors.DoubleCudaRuntimeError: ExitCode.UNSATISFIABLE,
    errors.PromotionError: ExitCode.UNSATISFIABLE,
    errors.StaleError: ExitCode.STALE,
    errors.BackendError: ExitCode.BACKEND,
    errors.ChannelError: ExitCode.BACKEND,
    errors.FetchError: ExitCode.BACKEND,
    errors.IntegrityError: ExitCode.BACKEND,
    errors.CondaInstallError: ExitCode.BACKEND,
    errors.PipInstallError: ExitCode.BACKEND,
    errors.InternalError: ExitCode.INTERNAL,
    errors.PipOverrideBug: ExitCode.INTERNAL,
    errors.ImportBugError: ExitCode.INTERNAL,
}


def _all_subclasses(cls: type[HybridError]) -> set[type[HybridError]]:
    found = {cls}
    for sub in cls.__subclasses__():
        found |= _all_subclasses(sub)
    return found


def test_the_documented_codes() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0, "FINDINGS": 1, "USAGE": 2, "UNSATISFIABLE": 3, "STALE": 4, "BACKEND": 5,
        "INTERNAL": 70, "INTERRUPTED": 130, "TERMINATED": 143,
    }


@pytest.mark.parametrize(
    ("cls", "code"), EXPECTED.items(), ids=lambda v: getattr(v, "__name__", str(v))
)
def test_each_class_exits_with_its_category(cls: type[HybridError], code: ExitCode) -> None:
    assert cls.exit_code is code


def test_every_error_class_lives_in_errors_py() -> None:
    """Import every module of hybrid, then look for HybridError classes defined elsewhere."""
    for module in pkgutil.walk_packages(hybrid.__path__, prefix="hybrid."):
        importlib.import_module(module.name)
    classes = _all_subclasses(HybridError)
    assert {c.__qualname__ for c in classes if c.__module__ != errors.__name__} == set()
    assert classes == set(EXPECTED)


def test_the_old_import_paths_still_work() -> None:
    from hybrid.doctor import FindingsError
    from hybrid.importer import ImportBugError
    from hybrid.install import (
        CondaInstallError,
        ExplicitFileError,
        IntegrityError,
        PipInstallError,
        VerificationError,
    )

    assert (FindingsError, ImportBugError) == (errors.FindingsError, errors.ImportBugError)
    assert (CondaInstallError, ExplicitFileError, IntegrityError, PipInstallError,
            VerificationError) == (errors.CondaInstallError, errors.ExplicitFileError,
                                   errors.IntegrityError, errors.PipInstallError,
                                   errors.VerificationError)
