"""The one error hierarchy and the one table of exit codes.

Every error hybrid raises on purpose is a `HybridError`; its class says which `ExitCode` the
CLI exits with. Anything else that reaches the CLI is a bug and exits `ExitCode.INTERNAL`.
Plain `ValueError`s that a parser raises and its one caller turns into a located error
(`MatchSpecSyntaxError`, `RecursiveAliasError`, `UnnamedReference`) stay next to the parser.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from hybrid.redact import redact


class ExitCode(IntEnum):
    """What `hybrid` exits with; the CLI exits with these and nothing else."""

    OK = 0
    #: lint, doctor or install verification found problems (as ruff and pip-audit exit 1).
    FINDINGS = 1
    #: a bad spec or a bad command line.
    USAGE = 2
    UNSATISFIABLE = 3
    #: outputs on disk were not produced from the current inputs.
    STALE = 4
    #: a channel, the network or a backend failed.
    BACKEND = 5
    #: a bug in hybrid: `os.EX_SOFTWARE` of sysexits.h (a constant here: Windows has no
    #: `os.EX_SOFTWARE`).
    INTERNAL = 70
    #: Ctrl-C or an aborted prompt: 128 + SIGINT, as shells report it.
    INTERRUPTED = 130
    #: SIGTERM (`kill PID`, a CI job cancelled): 128 + SIGTERM, as shells report it.
    TERMINATED = 143


class HybridError(Exception):
    """Base of every error hybrid raises on purpose; never shown with a traceback.

    Raise a subclass: the subclass is the category. A `HybridError` raised without one
    exits `ExitCode.INTERNAL`, because failing to say what went wrong is itself a bug.
    Message and hint never carry credentials: any URL in them is `redact`ed here.
    """

    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.hint = None if hint is None else redact(hint)

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n  hint: {self.hint}"


class FindingsError(HybridError):
    """A check found problems, already reported (`hybrid lint`, `hybrid doctor`)."""

    exit_code = ExitCode.FINDINGS


class VerificationError(FindingsError):
    """The environment was installed, but checking it found problems."""


class UsageError(HybridError):
    """Bad command-line usage."""

    exit_code = ExitCode.USAGE


class OutputError(UsageError):
    """An output cannot be written where it was asked to go."""


class ExplicitFileError(UsageError):
    """An explicit file hybrid cannot read; names the file and line."""


class LockFileError(UsageError):
    """A `conda-lock.yml` hybrid cannot read; names the file, line and field."""


class SpecError(HybridError):
    """One or more problems in a spec file; each problem is already located."""

    exit_code = ExitCode.USAGE

    def __init__(self, problems: list[str], *, path: str | None = None) -> None:
        self.problems = [redact(problem) for problem in problems]
        self.path = path
        head = f"{path}: {len(problems)} problem(s)" if path else f"{len(problems)} problem(s)"
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))


class GuardError(HybridError):
    """A spec that would break the conda-first / pip-last contract."""

    exit_code = ExitCode.USAGE


class UnsatisfiableError(HybridError):
    """A layer cannot be solved for a platform."""

    exit_code = ExitCode.UNSATISFIABLE


class CondaUnsatisfiableError(UnsatisfiableError):
    """The conda solver found no solution for one platform; carries its explanation."""

    def __init__(self, *, platform: str, explanation: str, label: str = "") -> None:
        self.platform = platform
        self.explanation = redact(explanation)
        self.label = label
        where = f"{platform} ({label})" if label else platform
        super().__init__(f"the conda layer cannot be solved for {where}:\n{explanation}")


class VariantError(UnsatisfiableError):
    """A solution that breaks its variant: CUDA packages in a `cpu` build, no CUDA where needed."""


class DoubleCudaRuntimeError(UnsatisfiableError):
    """The pip layer would bring NVIDIA's CUDA wheels next to the conda layer's CUDA libraries."""


class AbiCoupledWheelError(UnsatisfiableError):
    """The pip layer would pin a PyPI build coupled to the ABI of a conda package (PyPI's
    `torchvision` next to conda's `pytorch`)."""


class PromotionError(UnsatisfiableError):
    """A pip-layer package that must move to the conda layer (`promote:`) has no conda build
    that fits: names the package, the conda package it is coupled to and the ways out."""


class GroupConflictError(UnsatisfiableError):
    """A dependency group cannot be added on top of the base as the base's solve pinned it."""


class IncompleteLockError(UnsatisfiableError):
    """The lock verifier found a requirement neither layer meets: the lock is not written."""


class StaleError(HybridError):
    """Outputs on disk were not produced from the current inputs."""

    exit_code = ExitCode.STALE


class BackendError(HybridError):
    """A channel, the network or a backend failed."""

    exit_code = ExitCode.BACKEND


class ChannelError(BackendError):
    """A channel could not be read (missing, unreachable, not in the offline cache)."""


class FetchError(BackendError):
    """A remote `-r https://…` include could not be read (no credentials in the message).

    `hybrid import` notes it and goes on without the remote lines; it never reaches the CLI.
    """


class IntegrityError(BackendError):
    """A package archive does not have the hash its lock line names."""


class CondaInstallError(BackendError):
    """rattler could not link the conda layer into the prefix."""


class PipInstallError(BackendError):
    """The pip-layer installer failed; carries its output."""


class InternalError(HybridError):
    """An internal check of hybrid failed: a bug in hybrid, never the user's input."""

    exit_code = ExitCode.INTERNAL


class PipOverrideBug(InternalError):
    """The pip layer would replace a conda package."""


class ImportBugError(InternalError):
    """The spec `hybrid import` wrote does not validate."""
