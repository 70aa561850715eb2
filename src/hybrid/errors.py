"""The one error hierarchy. Each class carries the exit code the CLI maps it to."""

from __future__ import annotations


class HybridError(Exception):
    """Base of every error hybrid raises on purpose; never shown with a traceback."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n  hint: {self.hint}"


class UsageError(HybridError):
    """Bad command-line usage."""

    exit_code = 2


class SpecError(HybridError):
    """One or more problems in a spec file; each problem is already located."""

    exit_code = 2

    def __init__(self, problems: list[str], *, path: str | None = None) -> None:
        self.problems = list(problems)
        self.path = path
        head = f"{path}: {len(problems)} problem(s)" if path else f"{len(problems)} problem(s)"
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))


class OutputError(UsageError):
    """An output cannot be written where it was asked to go."""


class GuardError(HybridError):
    """A spec that would break the conda-first / pip-last contract."""

    exit_code = 2


class UnsatisfiableError(HybridError):
    """A layer cannot be solved for a platform."""

    exit_code = 3


class StaleError(HybridError):
    """Outputs on disk were not produced from the current inputs."""

    exit_code = 4


class BackendError(HybridError):
    """A channel, the network or a backend failed."""

    exit_code = 5


class ChannelError(BackendError):
    """A channel could not be read (missing, unreachable, not in the offline cache)."""


class CondaUnsatisfiableError(UnsatisfiableError):
    """The conda solver found no solution for one platform; carries its explanation."""

    def __init__(self, *, platform: str, explanation: str, label: str = "") -> None:
        self.platform = platform
        self.explanation = explanation
        self.label = label
        where = f"{platform} ({label})" if label else platform
        super().__init__(f"the conda layer cannot be solved for {where}:\n{explanation}")


class VariantError(UnsatisfiableError):
    """A solution that breaks its variant: CUDA packages in a `cpu` build, no CUDA where needed."""
