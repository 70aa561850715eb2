"""What a solve tells while it runs: typed events for whoever shows progress (`cli/`).

The pipeline never prints; it calls a `Progress` with a `ProgressEvent` at each step:

- `conda` per variant x platform: every `start` before the solves run (concurrently), then
  one `done` as each finishes;
- `pip` per variant (its pip layer compiled for every platform), when the spec has one;
- `verify` per variant (the lock verifier);
- `spec` around a whole spec, from the batch (`pipeline/batch.py`), which also names the
  spec in every event of that spec (`spec`).

Events of one spec come from the thread that solves it, in that order; a batch's specs run
in several threads at once, so a `Progress` must be safe to call from any thread.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol

from hybrid.conda.model import SolveRequest
from hybrid.spec.variants import Variant

StepKind = Literal["spec", "conda", "pip", "verify"]
Phase = Literal["start", "done", "failed"]


@dataclass(frozen=True, kw_only=True, slots=True)
class ProgressEvent:
    """`variant` is the variant's name ("default" without `cuda:`); `platform` is set for
    conda steps only; `spec` is the spec file, set by a batch (None for a single solve)."""

    kind: StepKind
    phase: Phase
    variant: str | None = None
    platform: str | None = None
    spec: Path | None = None


class Progress(Protocol):
    def __call__(self, event: ProgressEvent, /) -> None: ...


def conda_event(request: SolveRequest, phase: Phase) -> ProgressEvent:
    """The event of a conda solve (its request's label names its variant; none: the only one)."""
    variant = request.label or Variant(cuda=None).name
    return ProgressEvent(kind="conda", phase=phase, variant=variant, platform=request.platform)


def no_progress(event: ProgressEvent, /) -> None:
    """The default: nobody is watching."""


def for_spec(progress: Progress, spec: Path) -> Progress:
    """`progress`, told `spec` in every event."""

    def tagged(event: ProgressEvent, /) -> None:
        progress(replace(event, spec=spec))

    return tagged
