"""One table: `hybrid solve` per case against the engines' own work, and against conda-lock.

    python benchmarks/bench_all.py [--shared DIR] [--runs N] [--case NAME ...]

Cases (on the snapshot channels under `<shared>/channels`, read in place through `--mirror`):

- scientific: conda-only, python 3.11 + numpy, scipy, pandas, scikit-learn, matplotlib-base
  (+ jupyterlab when the snapshot solves it), linux-64, osx-64, osx-arm64, win-64;
- hf-pip: conda pytorch + numpy, pip accelerate + transformers, linux-64 (PyPI over the
  network; the conda -> PyPI mapping snapshot via `--pypi-mapping`);
- cuda: conda pytorch with `cuda: "12.6"`, linux-64, conda-forge (the pytorch channel snapshot
  stops at pytorch-cuda 12.1, so [pytorch, nvidia, conda-forge] cannot solve 12.6).

Columns (medians over N runs): hybrid's wall, CPU (child rusage utime+stime, uv included),
peak RSS (the hybrid process); "engines" is a bare rattler solve of the very requests hybrid
builds (all concurrently, fresh gateway, as hybrid does) plus a bare re-run of the very
`uv pip compile` command lines hybrid ran, on copies of its input files; overhead = hybrid
wall / engines; conda-lock = conda-lock wall / hybrid wall, when a conda solver is present.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench_solve import REPO, choose_packages, spec_text
from harness import (
    ChildRun,
    bare_conda_seconds,
    conda_executable,
    conda_requests,
    record_uv_calls,
    replay_uv_seconds,
    run_child,
)

from hybrid.pipeline.options import SolveOptions
from hybrid.spec import load_spec

GOAL = 2.0


@dataclass
class Case:
    name: str
    channels: tuple[str, ...]
    spec: Callable[[Path, dict[str, str], Path], str]  # (work, mirrors, cache) -> spec.yaml
    pip: bool = False
    notes: list[str] = field(default_factory=list)


def _scientific(work: Path, mirrors: dict[str, str], cache: Path) -> str:
    return spec_text(choose_packages(work, mirrors, cache))


def _hf_pip(work: Path, mirrors: dict[str, str], cache: Path) -> str:
    return ("version: 1\nname: bench-hf\nchannels: [conda-forge]\nplatforms: [linux-64]\n"
            'python: "3.11"\nconda: [pytorch, numpy]\npip: [accelerate, transformers]\n')


def _cuda(work: Path, mirrors: dict[str, str], cache: Path) -> str:
    # conda-forge only: the pytorch channel snapshot has no `pytorch-cuda 12.6` (its newest
    # is 12.1), so with it in front hybrid's cuda pin is unsatisfiable.
    return ("version: 1\nname: bench-cuda\nchannels: [conda-forge]\n"
            'platforms: [linux-64]\npython: "3.11"\ncuda: "12.6"\nconda: [pytorch]\n')


CASES = (
    Case("scientific (4 platforms)", ("conda-forge",), _scientific),
    Case("hf-pip (linux-64)", ("conda-forge",), _hf_pip, pip=True),
    Case("cuda 12.6 (linux-64)", ("conda-forge",), _cuda),
)


@dataclass
class Result:
    case: str
    hybrid: list[ChildRun]
    conda: list[float]
    uv: list[float]
    conda_lock: list[float] | None

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.hybrid)

    @property
    def engines(self) -> float:
        return statistics.median(self.conda) + (statistics.median(self.uv) if self.uv else 0.0)


def measure(case: Case, shared: Path, mapping: Path, runs: int, work: Path) -> Result:
    channels = {name: (shared / "channels" / name).resolve() for name in case.channels}
    mirrors = {f"https://conda.anaconda.org/{n}": p.as_uri() for n, p in channels.items()}
    cache = work / "cache"
    cache.mkdir(parents=True)
    spec_path = work / "spec.yaml"
    spec_path.write_text(case.spec(work, mirrors, cache), encoding="utf-8")
    command = [sys.executable, "-m", "hybrid.cli.main", "solve", str(spec_path),
               "-o", str(work / "out")]
    for name, path in channels.items():
        command += ["--mirror", f"{name}={path}"]
    if case.pip:
        command += ["--pypi-mapping", str(mapping)]
    env = {**os.environ, "HYBRID_CACHE_DIR": str(cache)}

    run_child(command, env)  # warm-up: bytecode compiled, OS file cache and uv cache filled
    hybrid = [run_child(command, env) for _ in range(runs)]

    requests = conda_requests(spec_path, mirrors)
    bare = work / "bare"
    bare_conda_seconds(requests, bare / "warmup")
    conda = [bare_conda_seconds(requests, bare / f"run-{i}") for i in range(runs)]
    uv: list[float] = []
    if case.pip:
        options = SolveOptions(cache_dir=cache, mirrors=mirrors, pypi_mapping=str(mapping))
        calls = record_uv_calls(spec_path, options, work / "uv-calls")
        case.notes.append(f"{len(calls)} uv pip compile call(s) replayed")
        uv = [replay_uv_seconds(calls) for _ in range(runs)]
    return Result(case.name, hybrid, conda, uv, conda_lock_runs(spec_path, channels, work, runs))


def conda_lock_runs(spec_path: Path, channels: dict[str, Path], work: Path, runs: int
                    ) -> list[float] | None:
    """conda-lock on an environment.yml of the same spec, when a conda solver exists here."""
    exe = conda_executable()
    if exe is None:
        return None
    spec = load_spec(spec_path)
    lines = ["channels:", *(f"  - {p.as_uri()}" for p in channels.values()), "dependencies:",
             f"  - python={spec.python}"]
    lines += [f"  - {dep.spec}" for dep in spec.conda]
    if spec.pip:
        lines += ["  - pip", "  - pip:", *(f"    - {dep.requirement}" for dep in spec.pip)]
    environment = work / "environment.yml"
    environment.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "conda_lock", "lock", "--file", str(environment),
               "--conda", exe, "--lockfile", str(work / "conda-lock.yml")]
    for platform in spec.platforms:
        command += ["--platform", str(platform)]
    seconds = []
    for _ in range(runs):
        (work / "conda-lock.yml").unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=work)
        seconds.append(time.perf_counter() - started)
    return seconds


def print_table(results: Sequence[Result]) -> None:
    header = ("case", "hybrid wall s", "hybrid CPU s", "peak RSS MB", "engines s", "overhead",
              "conda-lock")
    rows = []
    for r in results:
        lock_ratio = (f"{statistics.median(r.conda_lock) / r.wall:.2f}x" if r.conda_lock
                      else "–¹")
        rows.append((
            r.case,
            f"{r.wall:.2f}",
            f"{statistics.median(x.cpu for x in r.hybrid):.2f}",
            f"{statistics.median(x.peak_kib for x in r.hybrid) / 1024:.0f}",
            f"{r.engines:.2f}" + (f" ({statistics.median(r.conda):.2f}+"
                                  f"{statistics.median(r.uv):.2f} uv)" if r.uv else ""),
            f"{r.wall / r.engines:.2f}x" + ("" if r.wall / r.engines <= GOAL else " !"),
            lock_ratio,
        ))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                        help="the folder holding channels/ and mapping/ (default: ../shared)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--case", action="append", choices=[c.name.split()[0] for c in CASES],
                        help="run only this case (repeatable)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    mapping = (args.shared / "mapping" / "conda-forge.compressed_mapping.json").resolve()
    cases = [c for c in CASES if not args.case or c.name.split()[0] in args.case]
    missing = [f"{args.shared}/channels/{n}" for c in cases for n in c.channels
               if not (args.shared / "channels" / n / "linux-64" / "repodata.json").is_file()]
    if missing or not mapping.is_file():
        print(f"error: the snapshot is absent: {', '.join(missing) or mapping}; pass --shared DIR",
              file=sys.stderr)
        return 2
    results = []
    startup = statistics.median(
        run_child([sys.executable, "-c", "import hybrid.cli.main"], os.environ).wall
        for _ in range(args.runs)
    )
    with tempfile.TemporaryDirectory(prefix="hybrid-bench-") as tmp:
        for index, case in enumerate(cases):
            print(f"measuring {case.name} ...", file=sys.stderr, flush=True)
            results.append(measure(case, args.shared, mapping, args.runs, Path(tmp) / str(index)))
    print(f"runs: {args.runs} (median shown); cpus: {os.cpu_count()}; "
          f"python {sys.version.split()[0]}; goal: overhead <= {GOAL:.0f}x ('!' marks a miss)")
    print()
    print_table(results)
    print()
    print(f"note: of each hybrid wall, python start + `import hybrid.cli.main` alone is "
          f"{startup:.2f} s")
    for case in cases:
        for note in case.notes:
            print(f"note: {case.name}: {note}")
    if conda_executable() is None:
        print("¹ conda-lock is installed in the venv, but no conda/mamba/micromamba executable "
              "is on PATH for it to solve with: comparison skipped (see benchmarks/README.md).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
