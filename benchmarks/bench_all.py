"""One table: `hybrid solve` per case against the engines' own work, and against conda-lock.

    python benchmarks/bench_all.py [--shared DIR] [--runs N] [--case NAME ...]
        [--conda-exe PATH] [--conda-lock-python PATH] [--no-conda-lock] [--block-module NAME]

Cases (on the snapshot channels under `<shared>/channels`, read in place through `--mirror`):

- scientific: conda-only, python 3.11 + numpy, scipy, pandas, scikit-learn, matplotlib-base
  (+ jupyterlab when the snapshot solves it), linux-64, osx-64, osx-arm64, win-64;
- hf-pip: conda pytorch + numpy, pip accelerate + transformers, linux-64 (PyPI over the
  network; the conda -> PyPI mapping snapshot via `--pypi-mapping`);
- cuda: conda pytorch with `cuda: "12.6"`, linux-64, conda-forge (the pytorch channel snapshot
  stops at pytorch-cuda 12.1, so [pytorch, nvidia, conda-forge] cannot solve 12.6).

Each round runs, back to back: hybrid, the bare engines, conda-lock; medians over N rounds
after one warm-up round. Columns: hybrid's wall, CPU (child rusage utime+stime, uv included),
peak RSS (the hybrid process); "engines" is a bare rattler solve of the very requests hybrid
builds (all concurrently, fresh gateway, as hybrid does) plus a bare re-run of the very
`uv pip compile` command lines hybrid ran, on copies of its input files; overhead = hybrid
wall / engines; conda-lock's wall / CPU (its conda children included) / largest RSS of its
process tree, and the CPU and wall ratios conda-lock / hybrid, when a conda executable is
given (`--conda-exe`, `$HYBRID_BENCH_CONDA`) or on PATH. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench_solve import REPO, choose_packages, spec_text
from harness import (
    CONDA_ENV,
    ChildRun,
    UvCall,
    bare_conda_seconds,
    blocking_env,
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
    cuda: str | None = None
    lock_goal: float | None = None  # conda-lock CPU / hybrid CPU wanted (issue 11, goal 3)
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
    Case("scientific (4 platforms)", ("conda-forge",), _scientific, lock_goal=50.0),
    Case("hf-pip (linux-64)", ("conda-forge",), _hf_pip, pip=True, lock_goal=15.0),
    Case("cuda 12.6 (linux-64)", ("conda-forge",), _cuda, cuda="12.6"),
)


@dataclass
class Result:
    case: str
    hybrid: list[ChildRun]
    conda: list[float]
    uv: list[float]
    conda_lock: list[ChildRun] | None
    lock_goal: float | None = None

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.hybrid)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.hybrid)

    @property
    def engines(self) -> float:
        return statistics.median(self.conda) + (statistics.median(self.uv) if self.uv else 0.0)


@dataclass(frozen=True)
class CondaLock:
    """How to run conda-lock: a python that has `conda_lock` installed, and the conda
    executable it drives."""

    python: str
    conda: str


def measure(case: Case, shared: Path, mapping: Path, runs: int, work: Path,
            conda_lock: CondaLock | None, blocked: Sequence[str] = ()) -> Result:
    """One interleaved run: every round runs hybrid, the bare engines and conda-lock back to
    back, so that load changes hit all of them alike."""
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
    child_env = blocking_env(os.environ, blocked, work / "blocked")
    env = {**child_env, "HYBRID_CACHE_DIR": str(cache)}
    requests = conda_requests(spec_path, mirrors)
    calls: list[UvCall] = []
    if case.pip:
        options = SolveOptions(cache_dir=cache, mirrors=mirrors, pypi_mapping=str(mapping))
        calls = record_uv_calls(spec_path, options, work / "uv-calls")
        case.notes.append(f"{len(calls)} uv pip compile call(s) replayed")
    lock_command = (conda_lock_command(case, spec_path, channels, mapping, work, conda_lock)
                    if conda_lock is not None else None)

    def lock_once() -> ChildRun:
        assert lock_command is not None
        (work / "conda-lock.yml").unlink(missing_ok=True)
        return run_child(lock_command, child_env, cwd=work, tree_rss=True)

    # warm-up: bytecode compiled, OS file cache, uv's cache and conda's repodata cache filled
    run_child(command, env)
    bare = work / "bare"
    bare_conda_seconds(requests, bare / "warmup")
    if lock_command is not None:
        lock_once()
    hybrid: list[ChildRun] = []
    conda: list[float] = []
    uv: list[float] = []
    locks: list[ChildRun] = []
    for i in range(runs):
        hybrid.append(run_child(command, env))
        conda.append(bare_conda_seconds(requests, bare / f"run-{i}"))
        if calls:
            uv.append(replay_uv_seconds(calls))
        if lock_command is not None:
            locks.append(lock_once())
    return Result(case.name, hybrid, conda, uv, locks if lock_command else None, case.lock_goal)


def conda_lock_command(case: Case, spec_path: Path, channels: dict[str, Path], mapping: Path,
                       work: Path, conda_lock: CondaLock) -> list[str]:
    """`conda-lock lock` on an environment.yml of the same spec: same file:// channels, same
    platforms; for pip, PyPI as the only pip repository and a local PyPI -> conda lookup
    file made from the same mapping snapshot hybrid reads (conda-lock fetches none)."""
    spec = load_spec(spec_path)
    lines = ["channels:", *(f"  - {p.as_uri()}" for p in channels.values()), "dependencies:",
             f"  - python={spec.python}"]
    lines += [f"  - {dep.spec}" for dep in spec.conda]
    if case.cuda is not None:
        # what hybrid's `cuda:` asks of the solver: the cuda-version pin and CUDA builds
        lines = [line + "=*=*cuda*" if line == "  - pytorch" else line for line in lines]
        lines.append(f"  - cuda-version={case.cuda}")
    if spec.pip:
        lines += ["  - pip", "  - pip:", *(f"    - {dep.requirement}" for dep in spec.pip)]
        lines += ["pip-repositories:", "  - https://pypi.org/simple",
                  "allow-pypi-requests: false"]
    environment = work / "environment.yml"
    environment.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [conda_lock.python, "-m", "conda_lock", "lock", "--file", str(environment),
               "--conda", conda_lock.conda, "--lockfile", str(work / "conda-lock.yml")]
    for platform in spec.platforms:
        command += ["--platform", str(platform)]
    if spec.pip:
        lookup = work / "pypi-to-conda.json"
        write_pypi_lookup(mapping, lookup)
        command += ["--pypi_to_conda_lookup_file", str(lookup)]
    if case.cuda is not None:
        virtual = work / "virtual-packages.yml"
        virtual.write_text(_virtual_packages(case.cuda), encoding="utf-8")
        command += ["--virtual-package-spec", str(virtual)]
    return command


def _virtual_packages(cuda: str) -> str:
    """conda-lock's default linux-64 virtual packages, with hybrid's CUDA version."""
    return ("subdirs:\n  linux-64:\n    packages:\n      __unix: \"0\"\n      __linux: \"5.10\"\n"
            f"      __glibc: \"2.28\"\n      __archspec: \"1 x86_64\"\n      __cuda: \"{cuda}\"\n")


def write_pypi_lookup(mapping: Path, target: Path) -> None:
    """conda-lock's lookup format (PyPI name -> {conda_name, pypi_name}) from the snapshot's
    compressed mapping (conda name -> PyPI names). Where several conda packages ship one PyPI
    name, the one named alike wins, then the one shipping the fewest PyPI names (`pip` is
    `pip`, not `ansible`, which bundles it)."""
    compressed: dict[str, list[str] | None] = json.loads(mapping.read_text(encoding="utf-8"))
    best: dict[str, tuple[bool, int, str]] = {}
    for conda_name, pypi_names in compressed.items():
        for pypi_name in pypi_names or ():
            rank = (conda_name != pypi_name, len(pypi_names or ()), conda_name)
            if pypi_name not in best or rank < best[pypi_name]:
                best[pypi_name] = rank
    lookup = {p: {"conda_name": rank[2], "pypi_name": p} for p, rank in best.items()}
    target.write_text(json.dumps(lookup), encoding="utf-8")


def print_table(results: Sequence[Result]) -> None:
    header = ("case", "hybrid wall s", "hybrid CPU s", "peak RSS MB", "engines s", "overhead",
              "conda-lock wall / CPU s / RSS MB", "CPU ratio", "wall ratio")
    rows = []
    for r in results:
        lock_cells = ("–¹", "–", "–")
        if r.conda_lock:
            lock_wall = statistics.median(x.wall for x in r.conda_lock)
            lock_cpu = statistics.median(x.cpu for x in r.conda_lock)
            lock_rss = statistics.median(x.tree_peak_kib or x.peak_kib for x in r.conda_lock)
            ratio = lock_cpu / r.cpu
            missed = r.lock_goal is not None and ratio < r.lock_goal
            lock_cells = (f"{lock_wall:.2f} / {lock_cpu:.2f} / {lock_rss / 1024:.0f}",
                          f"{ratio:.1f}x" + (f" (goal {r.lock_goal:.0f}x !)" if missed else ""),
                          f"{lock_wall / r.wall:.1f}x")
        rows.append((
            r.case,
            f"{r.wall:.2f}",
            f"{r.cpu:.2f}",
            f"{statistics.median(x.peak_kib for x in r.hybrid) / 1024:.0f}",
            f"{r.engines:.2f}" + (f" ({statistics.median(r.conda):.2f}+"
                                  f"{statistics.median(r.uv):.2f} uv)" if r.uv else ""),
            f"{r.wall / r.engines:.2f}x" + ("" if r.wall / r.engines <= GOAL else " !"),
            *lock_cells,
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
    parser.add_argument("--conda-exe", metavar="PATH",
                        help="the conda/mamba/micromamba executable conda-lock drives (default: "
                             f"${CONDA_ENV}, else the first on PATH)")
    parser.add_argument("--conda-lock-python", metavar="PATH", default=sys.executable,
                        help="a python with conda-lock installed (default: this one)")
    parser.add_argument("--no-conda-lock", action="store_true",
                        help="skip the conda-lock comparison")
    parser.add_argument("--block-module", action="append", default=[], metavar="NAME",
                        help="make module NAME unimportable in the children (repeatable), e.g. "
                             "rfc3987_syntax, which jsonschema imports when the venv has it")
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
    conda = None if args.no_conda_lock else conda_executable(args.conda_exe)
    lock_reason = ("--no-conda-lock" if args.no_conda_lock else
                   "no conda/mamba/micromamba executable (--conda-exe, $"
                   f"{CONDA_ENV} or PATH) for it to solve with" if conda is None else
                   _conda_lock_missing(args.conda_lock_python))
    conda_lock = CondaLock(args.conda_lock_python, conda) if conda and not lock_reason else None
    compile_sources()
    results = []
    startup = statistics.median(
        run_child([sys.executable, "-c", "import hybrid.cli.main"], os.environ).wall
        for _ in range(args.runs)
    )
    with tempfile.TemporaryDirectory(prefix="hybrid-bench-") as tmp:
        for index, case in enumerate(cases):
            print(f"measuring {case.name} ...", file=sys.stderr, flush=True)
            results.append(measure(case, args.shared, mapping, args.runs, Path(tmp) / str(index),
                                   conda_lock, args.block_module))
    print(f"runs: {args.runs} (median shown); cpus: {os.cpu_count()}; "
          f"load: {os.getloadavg()[0]:.1f}; "
          + (f"blocked modules: {', '.join(args.block_module)}; " if args.block_module else "")
          + f"python {sys.version.split()[0]}; goal: overhead <= {GOAL:.0f}x ('!' marks a miss)")
    print()
    print_table(results)
    print()
    print(f"note: of each hybrid wall, python start + `import hybrid.cli.main` alone is "
          f"{startup:.2f} s")
    for case in cases:
        for note in case.notes:
            print(f"note: {case.name}: {note}")
    if conda_lock is None:
        print(f"¹ conda-lock comparison skipped: {lock_reason} (see benchmarks/README.md).")
    else:
        print(f"note: conda-lock = `{conda_lock.python} -m conda_lock lock --conda "
              f"{conda_lock.conda}`, run right after hybrid in each round; its CPU includes the "
              "conda processes it starts, its RSS is the largest of the process tree; CPU ratio "
              "= conda-lock CPU / hybrid CPU (goals: 50x scientific, 15x hf-pip; '!' a miss)")
    return 0


def compile_sources() -> None:
    """Write hybrid's bytecode before measuring, as an installed wheel has it (pip compiles at
    install): an editable checkout under PYTHONDONTWRITEBYTECODE=1 (this workplace sets it)
    would otherwise compile every module from source in every run, 0.1-0.15 s of each."""
    import compileall

    compileall.compile_dir(str(REPO / "src" / "hybrid"), quiet=1)


def _conda_lock_missing(python: str) -> str:
    """Why `python -m conda_lock` cannot run, or '' when it can."""
    found = subprocess.run([python, "-c", "import conda_lock"], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return "" if found.returncode == 0 else f"{python} cannot import conda_lock"


if __name__ == "__main__":
    raise SystemExit(main())
