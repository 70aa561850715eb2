"""`hybrid solve` against a full-size synthetic channel: cold and warm, against bare rattler.

    python benchmarks/synthetic_channel.py            # once: writes /tmp/hybrid-synthetic-channel
    python benchmarks/bench_big_channel.py [--channel DIR] [--runs N]

The spec is python 3.11 + numpy, scipy, pandas, scikit-learn on linux-64, osx-64, osx-arm64 and
win-64, with the channel read in place as conda-forge (`--mirror conda-forge=DIR`). Measured,
each in a child process (wall, CPU from `os.wait4`, peak RSS = the child's VmHWM):

- hybrid cold: an empty `HYBRID_CACHE_DIR` each run;
- hybrid warm: the same cache directory, second and later runs;
- bare rattler cold: `rattler.solve` of the very requests hybrid builds, all platforms
  concurrently, fresh gateway and cache (what one `hybrid solve` does), in a child of its own;
- the same three on the real snapshot, for scale;
- when the channel was written with `--sharded`, the same three over HTTP from a local server
  (a thread of this script): rattler then reads the sharded index and only the shards of the
  names the solve reaches, and caches both (cold = empty cache, warm = cache filled).

It also tells how many records of the synthetic channel's answer are not in the snapshot,
and the size of the repodata it read. Goals (issue 11): warm <= 3 s, peak RSS <= 1 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.server
import json
import os
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rattler

from hybrid.conda.model import SolveRequest
from hybrid.conda.requests import solve_requests
from hybrid.spec import load_spec
from hybrid.spec.variants import spec_variants

if TYPE_CHECKING:
    from harness import ChildRun

# The bare child imports only this module (rattler and hybrid's spec -> request code), not
# `harness`/`bench_solve`, which import hybrid's whole pipeline.
REPO = Path(__file__).resolve().parent.parent

PACKAGES = ("numpy", "scipy", "pandas", "scikit-learn")
PLATFORMS = ("linux-64", "osx-64", "osx-arm64", "win-64")
DEFAULT_CHANNEL = Path("/tmp/hybrid-synthetic-channel")
WARM_GOAL_S = 3.0
RSS_GOAL_MB = 1024.0


def spec_text() -> str:
    return ("version: 1\nname: bench-big\nchannels: [conda-forge]\n"
            f"platforms: [{', '.join(PLATFORMS)}]\n"
            f'python: "3.11"\nconda: [{", ".join(PACKAGES)}]\n')


def bare_child(spec_path: Path, location: str, cache: Path, answer: Path) -> None:
    """In a child: the bare concurrent rattler solves; writes the chosen file names."""
    mirrors = {"https://conda.anaconda.org/conda-forge": location}
    spec = load_spec(spec_path)
    requests = [r for v in spec_variants(spec) for r in solve_requests(spec, v, mirrors=mirrors)]
    shared = rattler.Gateway(cache_dir=cache, default_config=rattler.SourceConfig())

    async def run() -> list[list[rattler.RepoDataRecord]]:
        return await asyncio.gather(*(_records(r, shared) for r in requests))

    solved = asyncio.run(run())
    answer.write_text(json.dumps({
        request.platform: sorted(str(record.file_name) for record in records)
        for request, records in zip(requests, solved, strict=True)
    }), encoding="utf-8")


async def _records(request: SolveRequest, shared: rattler.Gateway
                   ) -> list[rattler.RepoDataRecord]:
    """`bench_solve.bare_solve`, keeping the records instead of counting them."""
    records: list[rattler.RepoDataRecord] = await rattler.solve(
        [rattler.Channel(ref.location_url) for ref in request.channels],
        [rattler.MatchSpec(m.canonical(), strict=True) for m in request.specs],
        constraints=[rattler.MatchSpec(m.canonical(), strict=True) for m in request.constraints],
        gateway=shared,
        platforms=[rattler.Subdir(request.platform), rattler.Subdir("noarch")],
        virtual_packages=[
            rattler.GenericVirtualPackage(rattler.PackageName(v.name), rattler.Version(v.version),
                                          rattler.BuildString(v.build))
            for v in request.virtual_packages
        ],
        channel_priority=rattler.ChannelPriority.Strict,
        exclude_newer=request.exclude_newer,
        timestamp_policy="allow-missing",
    )
    return records


def _uri(channel: Path | str) -> str:
    return channel.as_uri() if isinstance(channel, Path) else channel


def measure(channel: Path | str, runs: int, work: Path, blocked: Sequence[str] = ()
            ) -> dict[str, list[ChildRun]]:
    """Interleaved rounds of hybrid cold, hybrid warm and bare rattler on a channel folder
    (file://) or URL (http://, sharded when the channel has shards)."""
    from harness import blocking_env, run_child

    work.mkdir(parents=True)
    spec_path = work / "spec.yaml"
    spec_path.write_text(spec_text(), encoding="utf-8")
    hybrid = [sys.executable, "-m", "hybrid.cli.main", "solve", str(spec_path),
              "-o", str(work / "out"), "--mirror", f"conda-forge={channel}"]
    here = str(Path(__file__).resolve().parent)
    path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
    base_env = blocking_env({**os.environ, "PYTHONPATH": path}, blocked, work / "blocked")

    def bare(i: int) -> ChildRun:
        return run_child([sys.executable, "-m", "bench_big_channel", "--bare-child",
                          str(spec_path), _uri(channel), str(work / f"bare-{i}"),
                          str(work / "answer.json")], base_env)

    warm_env = {**base_env, "HYBRID_CACHE_DIR": str(work / "warm-cache")}
    rows: dict[str, list[ChildRun]] = {
        "hybrid cold": [], "hybrid warm": [], "bare rattler cold": []}
    run_child(hybrid, warm_env)  # fills the warm cache (and the OS file cache)
    for i in range(runs):  # interleaved
        cold_env = {**base_env, "HYBRID_CACHE_DIR": str(work / f"cold-{i}")}
        rows["hybrid cold"].append(run_child(hybrid, cold_env))
        rows["hybrid warm"].append(run_child(hybrid, warm_env))
        rows["bare rattler cold"].append(bare(i))
    return rows


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files as a CDN serves them: keep-alive, no conditional requests (python's 304
    carries no validators, which rattler's cache policy rejects), `Cache-Control:
    max-age=600`."""

    protocol_version = "HTTP/1.1"

    def send_head(self) -> Any:
        for header in ("If-Modified-Since", "If-None-Match"):
            del self.headers[header]
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "public, max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 256  # the default 5 drops rattler's burst of concurrent connects
    daemon_threads = True


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The folder on an http://127.0.0.1 port, in a thread of this process."""
    handler = functools.partial(_Handler, directory=str(folder))
    with _Server(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


def _names(channel: Path) -> tuple[set[str], int]:
    names: set[str] = set()
    size = 0
    for subdir in (*PLATFORMS, "noarch"):
        path = channel / subdir / "repodata.json"
        size += path.stat().st_size
        document = json.loads(path.read_bytes())
        names.update(document.get("packages", {}), document.get("packages.conda", {}))
    return names, size


def print_rows(label: str, rows: dict[str, list[ChildRun]]) -> None:
    print(f"{label}:")
    for name, runs in rows.items():
        wall = statistics.median(r.wall for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        rss = statistics.median(r.peak_kib for r in runs) / 1024
        marks = ""
        if name == "hybrid warm":
            marks = (" !" if wall > WARM_GOAL_S else "") + (" RSS!" if rss > RSS_GOAL_MB else "")
        print(f"  {name:<17} wall {wall:6.2f} s  CPU {cpu:6.2f} s  peak RSS {rss:6.0f} MB"
              f"  (min wall {min(r.wall for r in runs):.2f}){marks}")


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--bare-child"]:
        bare_child(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), Path(sys.argv[5]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channel", type=Path, default=DEFAULT_CHANNEL,
                        help=f"the synthetic channel (default {DEFAULT_CHANNEL})")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                        help="the folder holding channels/conda-forge (default: ../shared)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--block-module", action="append", default=[], metavar="NAME",
                        help="make module NAME unimportable in the children (see bench_all.py)")
    args = parser.parse_args(argv)
    channel = args.channel.resolve()
    snapshot = (args.shared / "channels" / "conda-forge").resolve()
    for folder, hint in ((channel, "run benchmarks/synthetic_channel.py first"),
                         (snapshot, "pass --shared DIR")):
        if not (folder / "linux-64" / "repodata.json").is_file():
            print(f"error: no channel at {folder}: {hint}", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="hybrid-bench-big-") as tmp:
        big = measure(channel, args.runs, Path(tmp) / "big", args.block_module)
        answer = json.loads((Path(tmp) / "big" / "answer.json").read_text(encoding="utf-8"))
        small = measure(snapshot, args.runs, Path(tmp) / "snapshot", args.block_module)
        sharded = None
        if (channel / "linux-64" / "repodata_shards.msgpack.zst").is_file():
            with serve(channel) as url:
                sharded = measure(url, args.runs, Path(tmp) / "sharded", args.block_module)
    real, real_size = _names(snapshot)
    everything, size = _names(channel)
    print(f"synthetic channel: {channel}: {len(everything):,} records, "
          f"{size / 1e6:.0f} MB of repodata.json (snapshot: {len(real):,}, "
          f"{real_size / 1e6:.0f} MB)")
    print(f"spec: python 3.11, {', '.join(PACKAGES)}; {', '.join(PLATFORMS)}; "
          f"runs: {args.runs} (median); cpus: {os.cpu_count()}; load: {os.getloadavg()[0]:.1f}"
          + (f"; blocked modules: {', '.join(args.block_module)}" if args.block_module else ""))
    print()
    print_rows("synthetic channel (file://, repodata.json)", big)
    print_rows("snapshot (file://)", small)
    if sharded is not None:
        print_rows("synthetic channel, sharded (CEP 16) over local HTTP", sharded)
    print()
    for platform, files in answer.items():
        synthetic = [f for f in files if f not in real]
        print(f"answer {platform}: {len(files)} records, {len(synthetic)} synthetic"
              + (f" (e.g. {', '.join(synthetic[:3])})" if synthetic else ""))
    print(f"goals: hybrid warm <= {WARM_GOAL_S:.0f} s, peak RSS <= {RSS_GOAL_MB:.0f} MB "
          "('!' marks a miss)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
