"""Shared measuring helpers for the benchmarks: a child run with wall/CPU/peak RSS, the bare
rattler solves of a spec, and a replay of the very `uv pip compile` commands hybrid runs.

The pieces already in `bench_solve` (the peak-RSS wrapper, `bare_solve`, `gateway`, `timed`)
are imported from there, not copied.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from bench_solve import _REPORT_PEAK, bare_solve, gateway, timed

import hybrid.pypi.uv_backend as uv_backend
from hybrid.conda.model import SolveRequest
from hybrid.conda.requests import solve_requests
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.run import lock
from hybrid.spec import load_spec
from hybrid.spec.variants import spec_variants

CONDA_EXECUTABLES = ("mamba", "micromamba", "conda")
CONDA_ENV = "HYBRID_BENCH_CONDA"  # a conda executable for conda-lock, when not on PATH
GNU_TIME = Path("/usr/bin/time")


@dataclass(frozen=True)
class ChildRun:
    wall: float
    cpu: float  # utime + stime of the child and every descendant it reaped (uv, conda)
    peak_kib: int  # VmHWM of the child python itself
    tree_peak_kib: int = 0  # max RSS over the child and its descendants (GNU time), 0 if unknown


def run_child(command: Sequence[str], env: Mapping[str, str], cwd: Path | None = None,
              tree_rss: bool = False) -> ChildRun:
    """Run `python -m MODULE ARGS` as a child: wall seconds, rusage CPU from `os.wait4`, and
    the child's own peak RSS (it prints VmHWM as it exits, see `bench_solve._REPORT_PEAK`).

    With `tree_rss`, the child runs under GNU `time -f %M` (when /usr/bin/time exists): its
    figure is the largest RSS of the child or any descendant it reaped (conda under
    conda-lock). `os.wait4`'s own ru_maxrss cannot serve: a child started by vfork+exec
    inherits this process's high-water mark."""
    argv = list(command)
    if len(argv) > 1 and argv[1] == "-m":
        argv = [argv[0], "-c", _REPORT_PEAK, *argv[2:]]
    if tree_rss and GNU_TIME.is_file():
        argv = [str(GNU_TIME), "-f", "TREE_KIB=%M", *argv]
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=dict(env), cwd=cwd, stdout=subprocess.DEVNULL,
                                   stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"{argv[3:]} failed ({process.returncode}):\n{stderr[-4000:]}")
    lines = stderr.splitlines()
    peaks = [int(line.split("=")[1]) for line in lines if line.startswith("PEAK_KIB=")]
    trees = [int(line.split("=")[1]) for line in lines if line.startswith("TREE_KIB=")]
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, peaks[-1] if peaks else 0,
                    trees[-1] if trees else 0)


def blocking_env(env: Mapping[str, str], modules: Sequence[str], folder: Path
                 ) -> dict[str, str]:
    """`env` with `modules` made unimportable in child pythons (a shim raising ImportError
    first on PYTHONPATH): measures an environment without an optional module that a shared
    venv happens to hold, e.g. `rfc3987_syntax`, which `jsonschema` imports when present and
    which compiles a grammar at import (about 1.2 s of CPU)."""
    if not modules:
        return dict(env)
    folder.mkdir(parents=True, exist_ok=True)
    for module in modules:
        (folder / f"{module}.py").write_text(
            f"raise ImportError('{module} is blocked by the benchmark (--block-module)')\n",
            encoding="utf-8")
    path = os.pathsep.join(p for p in (str(folder), env.get("PYTHONPATH", "")) if p)
    return {**env, "PYTHONPATH": path}


def conda_requests(spec_path: Path, mirrors: Mapping[str, str]) -> list[SolveRequest]:
    """The solve requests hybrid builds for every variant x platform of the spec."""
    spec = load_spec(spec_path)
    return [r for v in spec_variants(spec) for r in solve_requests(spec, v, mirrors=mirrors)]


def bare_conda_seconds(requests: Sequence[SolveRequest], cache: Path) -> float:
    """One bare rattler run as hybrid does it: every request concurrently, fresh gateway
    (repodata read + solve)."""
    shared = gateway(cache)

    async def run() -> object:
        return await asyncio.gather(*(bare_solve(r, shared) for r in requests))

    return timed(run)


@dataclass(frozen=True)
class UvCall:
    command: tuple[str, ...]
    cwd: Path
    env: dict[str, str]
    output: Path | None
    preferences: bytes | None  # the output file as it was before hybrid's run, if any


def record_uv_calls(spec_path: Path, options: SolveOptions, keep: Path) -> list[UvCall]:
    """Run hybrid's pipeline in-process and record every `uv pip compile` it starts, with its
    input files copied under `keep` (hybrid's own work dir is a temporary one)."""
    calls: list[UvCall] = []
    original = uv_backend.run

    def recording(command: Sequence[str], *args: Any, **kwargs: Any) -> Any:
        cwd = Path(kwargs["cwd"])
        output = _output_of(command)
        before = output.read_bytes() if output is not None and output.exists() else None
        finished = original(command, *args, **kwargs)
        target = keep / f"call-{len(calls)}"
        shutil.copytree(cwd, target)
        rewritten = tuple(part.replace(str(cwd), str(target)) for part in command)
        calls.append(UvCall(
            command=rewritten, cwd=target, env=dict(kwargs["env"]),
            output=_output_of(rewritten), preferences=before,
        ))
        return finished

    with mock.patch.object(uv_backend, "run", recording):
        lock(load_spec(spec_path), options)
    return calls


def _output_of(command: Sequence[str]) -> Path | None:
    parts = list(command)
    if "--output-file" in parts:
        return Path(parts[parts.index("--output-file") + 1])
    return None


def replay_uv_seconds(calls: Sequence[UvCall]) -> float:
    """The recorded uv commands run bare, one after the other (as the single platform of a
    case runs them); the output file is reset as hybrid leaves it before each run."""
    total = 0.0
    for call in calls:
        if call.output is not None:
            call.output.unlink(missing_ok=True)
            if call.preferences is not None:
                call.output.write_bytes(call.preferences)
        started = time.perf_counter()
        finished = subprocess.run(call.command, cwd=call.cwd, env=call.env, check=False,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        total += time.perf_counter() - started
        if finished.returncode != 0:
            raise SystemExit(f"bare uv failed: {finished.stderr.decode()[-2000:]}")
    return total


def conda_executable(given: str | None = None) -> str | None:
    """A conda-compatible solver executable conda-lock can drive, or None: `given`, else
    `$HYBRID_BENCH_CONDA`, else the first of mamba, micromamba, conda on PATH."""
    for candidate in (given, os.environ.get(CONDA_ENV)):
        if candidate:
            return shutil.which(candidate) or candidate
    for name in CONDA_EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    return None
