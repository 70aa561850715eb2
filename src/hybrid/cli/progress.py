"""The progress display on stderr: what a solve is doing (conda solves per variant x
platform, pip compiles, verification; with many specs, each running spec and a count).

It shows only when stderr is a terminal and the command was not asked for `--json`, and only
once the run has taken `HYBRID_PROGRESS_DELAY` seconds (default 1: a quick solve shows
nothing); it is erased when the run ends. Otherwise events are dropped.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from hybrid.cli.console import err_console
from hybrid.pipeline.progress import Progress as ProgressSink
from hybrid.pipeline.progress import ProgressEvent, no_progress

DELAY_VARIABLE = "HYBRID_PROGRESS_DELAY"
DEFAULT_DELAY = 1.0


@contextmanager
def progress_display(*, quiet: bool, specs: int | None = None) -> Iterator[ProgressSink]:
    """A progress sink for the block: the display when stderr is a terminal and not `quiet`,
    else one that drops every event. `specs`: how many specs a batch solves (a count line)."""
    if quiet or not sys.stderr.isatty():
        yield no_progress
        return
    display = _Display(err_console(), specs=specs)
    timer = threading.Timer(_delay(), display.show)
    timer.daemon = True
    timer.start()
    try:
        yield display
    finally:
        timer.cancel()
        display.close()


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_VARIABLE, DEFAULT_DELAY)))
    except ValueError:
        return DEFAULT_DELAY


@dataclass(kw_only=True, slots=True)
class _SpecActivity:
    """What one spec is doing, from its events."""

    task: TaskID | None = None
    solving: list[str] = field(default_factory=list)  # conda solves under way
    solved: int = 0
    doing: str = "reading the spec"

    def apply(self, event: ProgressEvent) -> None:
        label = _target(event)
        if event.kind == "conda" and event.phase == "start":
            self.solving.append(label)
        elif event.kind == "conda" and event.phase == "done":
            self.solved += 1
            if label in self.solving:
                self.solving.remove(label)
            self.doing = f"conda solved ({self.solved} done)"
        elif event.kind == "pip" and event.phase == "start":
            self.doing = f"compiling the pip layer{_of(event)}"
        elif event.kind == "verify" and event.phase == "start":
            self.doing = f"verifying the lock{_of(event)}"

    def describe(self) -> str:
        if self.solving:
            total = self.solved + len(self.solving)
            return f"solving conda {', '.join(self.solving)} ({self.solved}/{total} done)"
        return self.doing


def _target(event: ProgressEvent) -> str:
    platform = event.platform or ""
    return platform if event.variant in (None, "default") else f"{event.variant} {platform}"


def _of(event: ProgressEvent) -> str:
    return "" if event.variant in (None, "default") else f" ({event.variant})"


class _Display:
    """A rich progress display fed from any thread; started late by `show`, erased by `close`."""

    def __init__(self, console: Console, *, specs: int | None) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            # While it shows, prints go above it through its console, on stderr: stdout too,
            # but only when stdout is the terminal as well (not a file or a pipe).
            redirect_stdout=sys.stdout.isatty(),
        )
        self._lock = threading.Lock()
        self._specs: dict[Path | None, _SpecActivity] = {}
        self._total = specs
        self._finished = 0
        self._failed = 0
        self._count = (
            self._progress.add_task(self._counted(), total=specs) if specs else None
        )
        self._shown = False
        self._closed = False

    def __call__(self, event: ProgressEvent, /) -> None:
        with self._lock:
            if self._closed:
                return
            activity = self._specs.get(event.spec)
            if activity is None:
                activity = _SpecActivity()
                self._specs[event.spec] = activity
            if event.kind == "spec" and event.phase in ("done", "failed"):
                self._end(event, activity)
                return
            activity.apply(event)
            text = activity.describe()
            if event.spec is not None:
                text = f"{event.spec}: {text}"
            if activity.task is None:
                activity.task = self._progress.add_task(escape(text), total=None)
            else:
                self._progress.update(activity.task, description=escape(text))

    def _end(self, event: ProgressEvent, activity: _SpecActivity) -> None:
        if activity.task is not None:
            self._progress.remove_task(activity.task)
        del self._specs[event.spec]
        self._finished += 1
        self._failed += event.phase == "failed"
        if self._count is not None:
            self._progress.update(self._count, completed=self._finished,
                                  description=self._counted())

    def _counted(self) -> str:
        failed = f", {self._failed} failed" if self._failed else ""
        return f"specs: {self._finished}/{self._total} done{failed}"

    def show(self) -> None:
        with self._lock:
            if not self._closed and not self._shown:
                self._progress.start()
                self._shown = True

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._shown:
                self._progress.stop()
