"""Benchmark the check of the extracted-package cache that `hybrid install` links from.

    python benchmarks/bench_package_cache.py [--work DIR] [--runs N]

The package set is realistic in size and shape: every distribution installed in hybrid's own
environment, repackaged as a conda package (its real files: 87 packages, 6,000 files, 234 MB
extracted in the development venv). Each is linked from a warm cache into a new prefix with
rattler's default validation (`skip`: only `info/index.json` is looked at) and with the
`full` validation `install/conda_layer.py` uses (every file's sha256 against
`info/paths.json`), alternately; CPU time and wall clock are reported as medians.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import rattler

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.install.conftest import RawPackage, write_raw_package  # noqa: E402

from hybrid.install.conda_layer import _record, _verified_cache  # noqa: E402
from hybrid.install.fetch import digests, fetch_packages  # noqa: E402
from hybrid.readback.explicit import parse_explicit  # noqa: E402

SUBDIR = str(rattler.Subdir.current())


def build_channel(channel: Path) -> list[Path]:
    """Every installed distribution as `<subdir>/b-<name>-<version>-0.tar.bz2`."""
    if not (channel / SUBDIR).is_dir():
        for dist in importlib.metadata.distributions():
            files = {}
            for entry in dist.files or ():
                path = Path(str(dist.locate_file(entry)))
                if ".." not in entry.parts and "__pycache__" not in entry.parts and path.is_file():
                    files[f"site-packages/{entry.as_posix()}"] = path.read_bytes()
            name = dist.metadata["Name"].lower().replace("_", "-").replace(".", "-")
            version = dist.version.replace("-", "_")
            package = RawPackage(name=f"b-{name}", version=version, subdir=SUBDIR, files=files)
            write_raw_package(package, channel)
    return sorted((channel / SUBDIR).glob("*.tar.bz2"))


async def link(
    records: list[rattler.RepoDataRecord], prefix: Path, cache: Path, full: bool
) -> tuple[float, float]:
    started, cpu = time.monotonic(), time.process_time()
    if full:
        await rattler.install(
            records, prefix, package_cache=_verified_cache(cache), show_progress=False
        )
    else:
        await rattler.install(records, prefix, cache_dir=cache, show_progress=False)
    return time.process_time() - cpu, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "hybrid-bench-cache"
    )
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    archives = build_channel(args.work / "channel")
    lines = ["@EXPLICIT", *(f"{a.as_uri()}#{digests(a)[0]}" for a in archives)]
    explicit = parse_explicit("\n".join(lines) + "\n", path=args.work / "bench.lock")
    fetched = fetch_packages(explicit.entries, mirrors={}, archive_dir=args.work / "archives")

    async def records() -> list[rattler.RepoDataRecord]:
        return [await _record(package) for package in fetched]

    cache = args.work / "extracted"
    asyncio.run(link(asyncio.run(records()), args.work / "warm-up", cache, full=False))
    shutil.rmtree(args.work / "warm-up")
    times: dict[str, list[tuple[float, float]]] = {"skip": [], "full": []}
    for run in range(args.runs):
        for mode in times:
            prefix = args.work / f"env-{mode}-{run}"
            times[mode].append(
                asyncio.run(link(asyncio.run(records()), prefix, cache, mode == "full"))
            )
            shutil.rmtree(prefix)
    size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"{len(archives)} packages, {size >> 20} MB extracted, {args.runs} runs each")
    for mode, values in times.items():
        cpu = statistics.median(v[0] for v in values)
        wall = statistics.median(v[1] for v in values)
        print(f"{mode:>5}: {cpu:.2f} s CPU, {wall:.2f} s wall (medians)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
