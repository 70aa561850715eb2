"""Many specs: one `hybrid solve --all` against one `hybrid solve` process per spec.

    python benchmarks/bench_many_specs.py [--shared DIR] [--specs 50] [--runs 1] [--no-pip]
                                          [--jobs N]

`--specs` specs are generated (a fixed seed, so every run solves the same ones) over the
snapshot `<shared>/channels/conda-forge`, read in place through `--mirror`: python 3.11 or 3.12,
2 to 6 packages drawn from a pool every platform of the snapshot solves, 1 to 4 of linux-64,
osx-64, osx-arm64 and win-64 (linux-64-only specs may add packages the snapshot has for
linux-64 only), and every fifth spec a small pip layer (PyPI over the network; the conda ->
PyPI mapping is the snapshot `<shared>/mapping/conda-forge.compressed_mapping.json`; leave
these out with `--no-pip`).

Both sides share one cache directory, warmed by one untimed `--all` run, and solve the same
specs into the same folders:

- **batch**: one `hybrid solve --all DIR` process (`-j` as given, else hybrid's default);
- **separate**: `hybrid solve SPEC` once per spec, one after the other (a shell loop).

Printed: wall, CPU (the child's rusage, uv included) and peak RSS of each side, medians over
`--runs`, and specs per minute. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench_solve import REPO
from harness import ChildRun, run_child

PLATFORMS = ("linux-64", "osx-64", "osx-arm64", "win-64")
PYTHONS = ("3.11", "3.12")
# Solvable alone on every platform of the snapshot for python 3.11 and 3.12 (probed).
EVERYWHERE = (
    "numpy", "scipy", "pandas", "scikit-learn", "matplotlib-base", "requests", "pyyaml",
    "click", "rich", "sympy", "networkx", "pillow", "jupyterlab", "ipykernel", "xarray",
    "polars", "pyarrow", "bokeh", "plotly", "lxml", "beautifulsoup4", "pytest", "tqdm", "attrs",
    "altair",
)  # fmt: skip
LINUX_ONLY = ("seaborn", "statsmodels", "dask", "numba")
PIP = ("tabulate", "humanize", "python-slugify", "tomli-w")
SEED = 20261130


@dataclass(frozen=True)
class Generated:
    text: str
    pip: bool


def generate(count: int, *, with_pip: bool) -> list[Generated]:
    """`count` spec texts, the same ones on every run."""
    rng = random.Random(SEED)
    specs = []
    for index in range(count):
        platforms = sorted(rng.sample(PLATFORMS, rng.randint(1, len(PLATFORMS))),
                           key=PLATFORMS.index)
        packages = rng.sample(EVERYWHERE, rng.randint(2, 6))
        if platforms == ["linux-64"] and rng.random() < 0.5:
            packages.append(rng.choice(LINUX_ONLY))
        pip = with_pip and index % 5 == 4
        lines = [
            "version: 1",
            f"name: bench-{index:02d}",
            "channels: [conda-forge]",
            f"platforms: [{', '.join(platforms)}]",
            f'python: "{rng.choice(PYTHONS)}"',
            "conda:",
            *(f"  - {name}" for name in packages),
        ]
        if pip:
            lines += ["pip:", *(f"  - {name}" for name in rng.sample(PIP, 2))]
        specs.append(Generated("\n".join(lines) + "\n", pip))
    return specs


def write_specs(root: Path, specs: list[Generated]) -> list[Path]:
    paths = []
    for index, spec in enumerate(specs):
        path = root / f"project-{index:02d}" / "spec.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(spec.text, encoding="utf-8")
        paths.append(path)
    return paths


def solve_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "hybrid.cli.main", "solve", *arguments]


def separate(paths: list[Path], options: list[str], env: dict[str, str]) -> ChildRun:
    runs = [run_child(solve_command(str(path), *options), env) for path in paths]
    return ChildRun(
        wall=sum(r.wall for r in runs),
        cpu=sum(r.cpu for r in runs),
        peak_kib=max(r.peak_kib for r in runs),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--specs", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-pip", action="store_true")
    args = parser.parse_args()
    channel = args.shared / "channels" / "conda-forge"
    mapping = args.shared / "mapping" / "conda-forge.compressed_mapping.json"
    if not (channel / "linux-64" / "repodata.json").is_file():
        raise SystemExit(f"no snapshot channel at {channel}")
    specs = generate(args.specs, with_pip=not args.no_pip)
    options = ["--mirror", f"conda-forge={channel}"]
    if mapping.is_file():
        options += ["--pypi-mapping", str(mapping)]
    batch_options = [*options, *(["-j", str(args.jobs)] if args.jobs else [])]
    with tempfile.TemporaryDirectory(prefix="hybrid-many-") as tmp:
        work = Path(tmp)
        paths = write_specs(work / "lab", specs)
        env = {**os.environ, "HYBRID_CACHE_DIR": str(work / "cache"),
               "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
        run_child(solve_command("--all", str(work / "lab"), *batch_options), env)  # warm-up
        batch, each = [], []
        for _ in range(args.runs):
            batch.append(run_child(solve_command("--all", str(work / "lab"), *batch_options), env))
            each.append(separate(paths, options, env))
    _print(len(specs), sum(s.pip for s in specs), batch, each)
    return 0


def _print(count: int, with_pip: int, batch: list[ChildRun], each: list[ChildRun]) -> None:
    print(f"{count} specs ({with_pip} with a pip layer), medians over {len(batch)} run(s), "
          "warm cache\n")
    print(f"| {'how':<38} | {'wall s':>7} | {'CPU s':>7} | {'peak RSS MB':>11} | "
          f"{'specs/min':>9} |")
    print(f"|{'-' * 40}|{'-' * 9}|{'-' * 9}|{'-' * 13}|{'-' * 11}|")
    for label, runs in (("one `hybrid solve --all`", batch),
                        (f"{count} separate `hybrid solve` processes", each)):
        wall = statistics.median(r.wall for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        peak = statistics.median(r.peak_kib for r in runs) / 1024
        print(f"| {label:<38} | {wall:7.1f} | {cpu:7.1f} | {peak:11.0f} | "
              f"{count / wall * 60:9.0f} |")
    ratio = statistics.median(r.wall for r in each) / statistics.median(r.wall for r in batch)
    print(f"\nbatch is {ratio:.1f}x faster in wall time (peak RSS: the batch's one process "
          "against the largest single one)")


if __name__ == "__main__":
    sys.exit(main())
