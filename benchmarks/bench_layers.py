"""Benchmark the pip layer per backend, and `hybrid check` against a full `hybrid solve`.

    python benchmarks/bench_layers.py [--shared DIR] [--runs N]

- pip layer: conda `pytorch`, `numpy` with pip `accelerate`, `transformers`, solved on the
  snapshot channel; then the pip layer alone is compiled against it, and the file each pin
  installs chosen (conda-lock.yml's artifacts), with uv (linux-64 and
  osx-arm64) and with pip-tools (linux-64, the native platform; pip-tools is slow, so it runs
  once unless --runs says otherwise). Talks to the real package index.
- check: `hybrid check` on unchanged inputs against `hybrid solve` of the same spec, both as
  child processes (the goal: check under a twentieth of solve).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench_solve import REPO, Row, print_table, run_hybrid

from hybrid.mapping import load_mapping
from hybrid.pipeline.options import SolveOptions
from hybrid.pipeline.run import lock
from hybrid.pypi.artifacts import ArtifactSelector
from hybrid.pypi.layer import compile_pip_layers, index_options
from hybrid.pypi.resolver import get_resolver
from hybrid.spec import load_spec
from hybrid.spec.variants import Variant

SPEC = """\
version: 1
name: bench-hf
channels: [conda-forge]
platforms: [linux-64, osx-arm64]
python: "3.11"
conda: [pytorch, numpy]
pip: [accelerate, transformers]
"""


def pip_rows(spec_path: Path, channel: Path, mapping: Path, cache: Path, runs: int) -> list[Row]:
    spec = load_spec(spec_path)
    options = SolveOptions(
        cache_dir=cache, mirrors={"https://conda.anaconda.org/conda-forge": channel.as_uri()},
        pypi_mapping=str(mapping),
    )
    solutions = lock(spec, options).variants[0].solutions
    names = load_mapping("conda-forge", override=str(mapping), cache_dir=cache)
    rows = []
    for backend, chosen, count in (
        ("uv", solutions, runs),
        ("pip-tools", [s for s in solutions if s.platform == "linux-64"], max(1, runs // 3)),
    ):
        resolver = get_resolver(backend)
        seconds = []
        for _ in range(count):
            started = time.perf_counter()
            layers = compile_pip_layers(
                spec, chosen, mapping=names, resolver=resolver, variant=Variant(cuda=None),
                exclude_newer=None,
            )
            selector = ArtifactSelector(index_options(spec))  # what `_PipLayers` does next
            for layer in layers:
                selector.select(layer)
            seconds.append(time.perf_counter() - started)
        platforms = ", ".join(s.platform for s in chosen)
        rows.append(Row(f"pip layer + artifacts, {backend} ({platforms})", seconds))
    return rows


def check_rows(spec_path: Path, channel: Path, mapping: Path, env: dict[str, str], runs: int
               ) -> list[Row]:
    solve = [sys.executable, "-m", "hybrid.cli.main", "solve", str(spec_path),
             "--mirror", f"conda-forge={channel}", "--pypi-mapping", str(mapping)]
    check = [sys.executable, "-m", "hybrid.cli.main", "check", str(spec_path)]
    run_hybrid(solve, env)
    solves = [run_hybrid(solve, env) for _ in range(runs)]
    checks = [run_hybrid(check, env) for _ in range(runs)]
    return [
        Row("hybrid solve (conda + pip, 2 platforms)", [s for s, _ in solves],
            [r for _, r in solves]),
        Row("hybrid check, unchanged inputs", [s for s, _ in checks], [r for _, r in checks]),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    channel = (args.shared / "channels" / "conda-forge").resolve()
    mapping = (args.shared / "mapping" / "conda-forge.compressed_mapping.json").resolve()
    if not channel.is_dir() or not mapping.is_file():
        print(f"error: the snapshot is absent under {args.shared}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="hybrid-bench-") as tmp:
        work = Path(tmp)
        spec_path = work / "spec.yaml"
        spec_path.write_text(SPEC, encoding="utf-8")
        env = {**os.environ, "HYBRID_CACHE_DIR": str(work / "cache")}
        rows = [
            *pip_rows(spec_path, channel, mapping, work / "cache", args.runs),
            *check_rows(spec_path, channel, mapping, env, args.runs),
        ]
    print(f"runs: {args.runs} (median shown; pip-tools fewer); cpus: {os.cpu_count()}")
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
