"""Benchmark `hybrid solve` on the real channel snapshot against the bare rattler solves inside it.

    python benchmarks/bench_solve.py [--shared DIR] [--runs N]

A 4-platform scientific spec (linux-64, osx-64, osx-arm64, win-64; python 3.11, numpy, scipy,
pandas, scikit-learn, matplotlib-base, and jupyterlab when the snapshot solves it) is solved:

- by `hybrid solve` in a child process, N times: wall time, and the child's peak RSS read from
  `os.wait4` (the rusage of exactly that child);
- by `rattler.solve` called directly with the very specs, constraints, virtual packages and
  channels hybrid builds, per platform and all 4 concurrently, with a fresh gateway (repodata
  read + solve, as in one `hybrid solve`) and with a warm one (solve only).

The snapshot (`<shared>/channels/conda-forge`) is read in place through `--mirror`.
Medians over N runs are printed in a small table. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import rattler

from hybrid.conda.model import SolveRequest
from hybrid.conda.requests import solve_requests
from hybrid.conda.solver import SolverOptions, get_solver
from hybrid.errors import CondaUnsatisfiableError
from hybrid.spec import load_spec
from hybrid.spec.variants import spec_variants

REPO = Path(__file__).resolve().parent.parent
PLATFORMS = ("linux-64", "osx-64", "osx-arm64", "win-64")
BASE_PACKAGES = ("numpy", "scipy", "pandas", "scikit-learn", "matplotlib-base")
OPTIONAL_PACKAGE = "jupyterlab"


@dataclass(frozen=True)
class Row:
    label: str
    seconds: list[float]
    peak_rss_kib: list[int] | None = None


def spec_text(packages: Sequence[str]) -> str:
    lines = [
        "version: 1",
        "name: bench-scientific",
        "channels: [conda-forge]",
        f"platforms: [{', '.join(PLATFORMS)}]",
        'python: "3.11"',
        "conda:",
        *(f"  - {name}" for name in packages),
    ]
    return "\n".join(lines) + "\n"


def hybrid_command(spec: Path, out: Path, mirror: str) -> list[str]:
    return [sys.executable, "-m", "hybrid.cli.main", "solve", str(spec), "-o", str(out),
            "--mirror", mirror]  # fmt: skip


# The child reports its own peak RSS (VmHWM, KiB) as it exits: getrusage's ru_maxrss of a
# child keeps the parent's high-water mark across fork+exec, so it would show this script's.
_REPORT_PEAK = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('PEAK_KIB=' + line.split()[1] + '\\n')\n"
    "atexit.register(peak)\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
)


def run_hybrid(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process (`python -m MODULE ARGS`, or
    `python -c CODE`)."""
    if command[1] == "-m":
        command = [command[0], "-c", _REPORT_PEAK, *command[2:]]
    else:
        command = [command[0], "-c", _REPORT_PEAK.replace(
            "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)",
            "exec(sys.argv[0])"), *command[2:]]
    started = time.perf_counter()
    finished = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - started
    stderr = finished.stderr.decode()
    if finished.returncode != 0:
        raise SystemExit(f"{command[3:]} failed ({finished.returncode}):\n{stderr}")
    peaks = [int(line.split("=")[1]) for line in stderr.splitlines()
             if line.startswith("PEAK_KIB=")]
    return elapsed, peaks[-1] if peaks else 0


def _virtual(request: SolveRequest) -> list[rattler.GenericVirtualPackage]:
    return [
        rattler.GenericVirtualPackage(
            rattler.PackageName(v.name), rattler.Version(v.version), rattler.BuildString(v.build)
        )
        for v in request.virtual_packages
    ]


async def bare_solve(request: SolveRequest, gateway: rattler.Gateway) -> int:
    """`rattler.solve` with exactly what hybrid's rattler backend passes; returns #records."""
    records = await rattler.solve(
        [rattler.Channel(ref.location_url) for ref in request.channels],
        list(request.specs),
        constraints=list(request.constraints),
        gateway=gateway,
        platforms=[rattler.Subdir(request.platform), rattler.Subdir("noarch")],
        virtual_packages=_virtual(request),
        channel_priority=rattler.ChannelPriority.Strict,
        exclude_newer=request.exclude_newer,
        timestamp_policy="allow-missing",
    )
    return len(records)


def timed(make: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    asyncio.run(_await(make))
    return time.perf_counter() - started


async def _await(make: Callable[[], Awaitable[object]]) -> None:
    await make()


def gateway(cache: Path) -> rattler.Gateway:
    return rattler.Gateway(cache_dir=cache, default_config=rattler.SourceConfig())


def bare_rows(requests: Sequence[SolveRequest], runs: int, cache: Path) -> list[Row]:
    rows = []
    for request in requests:
        cold = [timed(functools.partial(bare_solve, request, gateway(cache))) for _ in range(runs)]
        rows.append(Row(f"rattler.solve {request.platform}, fresh gateway", cold))

    def concurrently(shared: rattler.Gateway) -> Callable[[], Awaitable[object]]:
        async def run() -> object:
            return await asyncio.gather(*(bare_solve(r, shared) for r in requests))

        return run

    rows.append(
        Row(
            "rattler.solve 4 platforms concurrently, fresh gateway",
            [timed(concurrently(gateway(cache))) for _ in range(runs)],
        )
    )
    warm = gateway(cache)
    timed(concurrently(warm))  # load the repodata once
    rows.append(
        Row(
            "rattler.solve 4 platforms concurrently, warm gateway",
            [timed(concurrently(warm)) for _ in range(runs)],
        )
    )
    return rows


def choose_packages(spec_dir: Path, mirrors: dict[str, str], cache: Path) -> tuple[str, ...]:
    """The base packages, plus jupyterlab when the snapshot solves it on every platform."""
    with_optional = (*BASE_PACKAGES, OPTIONAL_PACKAGE)
    path = spec_dir / "probe.yaml"
    path.write_text(spec_text(with_optional), encoding="utf-8")
    spec = load_spec(path)
    requests = [r for v in spec_variants(spec) for r in solve_requests(spec, v, mirrors=mirrors)]
    try:
        get_solver("rattler", SolverOptions(cache_dir=cache)).solve(requests)
    except CondaUnsatisfiableError as exc:
        print(f"note: {OPTIONAL_PACKAGE} left out, it does not solve: {exc.platform}")
        return BASE_PACKAGES
    return with_optional


def print_table(rows: Sequence[Row]) -> None:
    width = max(len(row.label) for row in rows)
    print(f"{'measurement':<{width}}  {'median':>9}  {'min':>9}  {'max':>9}  {'peak RSS':>9}")
    for row in rows:
        rss = f"{statistics.median(row.peak_rss_kib) / 1024:7.1f} MB" if row.peak_rss_kib else ""
        print(
            f"{row.label:<{width}}  {statistics.median(row.seconds):7.3f} s  "
            f"{min(row.seconds):7.3f} s  {max(row.seconds):7.3f} s  {rss:>9}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared",
        help="the shared data folder holding channels/ (default: ../shared)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    args = parser.parse_args(argv)  # fmt: skip
    channel = (args.shared / "channels" / "conda-forge").resolve()
    if not (channel / "linux-64" / "repodata.json").is_file():
        print(
            f"error: the channel snapshot is absent: no {channel}/linux-64/repodata.json\n"
            "pass --shared DIR, the folder that holds channels/conda-forge",
            file=sys.stderr,
        )
        return 2
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="hybrid-bench-") as tmp:
        work = Path(tmp)
        cache = work / "cache"
        cache.mkdir()
        mirror = f"conda-forge={channel}"
        mirrors = {"https://conda.anaconda.org/conda-forge": channel.as_uri()}
        packages = choose_packages(work, mirrors, cache)
        spec_path = work / "spec.yaml"
        spec_path.write_text(spec_text(packages), encoding="utf-8")
        env = {**os.environ, "HYBRID_CACHE_DIR": str(cache)}

        command = hybrid_command(spec_path, work / "out", mirror)
        run_hybrid(command, env)  # warm-up: imports compiled, OS file cache filled
        results = [run_hybrid(command, env) for _ in range(args.runs)]
        startup = [
            run_hybrid([sys.executable, "-c", "import hybrid.cli.main"], env)
            for _ in range(args.runs)
        ]
        spec = load_spec(spec_path)
        requests = [
            r for v in spec_variants(spec) for r in solve_requests(spec, v, mirrors=mirrors)
        ]
        rows = [
            Row(
                "hybrid solve, 4 platforms (child process)",
                [seconds for seconds, _ in results],
                [rss for _, rss in results],
            ),
            Row(
                "  of which: python start + import hybrid.cli.main",
                [seconds for seconds, _ in startup],
                [rss for _, rss in startup],
            ),
            *bare_rows(requests, args.runs, cache / "bare"),
        ]

    print(f"snapshot: {channel}")
    print(f"spec: python 3.11, {', '.join(packages)}; platforms: {', '.join(PLATFORMS)}")
    python = sys.version.split()[0]
    print(f"runs: {args.runs} (median shown); cpus: {os.cpu_count()}; python {python}")
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
