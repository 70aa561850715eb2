"""Write a full-size synthetic conda channel grown from the real snapshot records.

    python benchmarks/synthetic_channel.py [--shared DIR] [--out DIR] [--history N] [--clones N]

The snapshot (`<shared>/channels/conda-forge`, about 20,000 records) is the union of what
harvested lock files resolved to: mostly the newest builds. Real conda-forge has several
hundred thousand records per subdir, most of them history. This script writes, outside the
repository (default `/tmp/hybrid-synthetic-channel`), a channel of the same five subdirs
(linux-64, osx-64, osx-arm64, win-64, noarch) holding:

- every real record unchanged (so whatever the snapshot solves, this channel solves too);
- history: per real record `--history` older records of the same package: lower versions
  (a numeric component decreased, the rest re-drawn) or, for non-numeric versions, lower
  build numbers; python extension builds re-targeted at older pythons (`python >=3.Y,<3.Y+1.0a0`,
  `python_abi 3.Y.* *_cp3Y`, `py3Y` in the build string); new build hashes; timestamps moved
  back months to years (never before 2015); sizes varied;
- clones: `--clones` parallel universes; universe i renames about 60 % of the package names
  (`name-syn<i>`, chosen per universe) and rewires every `depends`/`constrains` entry naming
  one of them, so the clones depend on each other as the originals do; the rest of the
  dependency grammar is left as it was.

md5 and sha256 are derived from the file name (no package files exist). Everything is
deterministic for a given `--seed`. With `--sharded`, each subdir also gets sharded repodata
(CEP 16: `repodata_shards.msgpack.zst` and `shards/`), which rattler reads over HTTP(S).
With the defaults (history 4, clones 8) the channel holds about 580,000 records, about 300 MB
of JSON. Never commit its output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import rattler

REPO = Path(__file__).resolve().parent.parent
SUBDIRS = ("linux-64", "osx-64", "osx-arm64", "win-64", "noarch")
KEYS = ("packages", "packages.conda")
DEFAULT_OUT = Path("/tmp/hybrid-synthetic-channel")
FLOOR_MS = 1_420_070_400_000  # 2015-01-01
DAY_MS = 86_400_000
CLONE_SHARE = 0.6

Record = dict[str, Any]
_NAME = re.compile(r"[A-Za-z0-9_.\-]+")
_PY_PIN = re.compile(r"^python >=3\.(\d+),<3\.(\d+)\.0a0$")
_HASH = re.compile(r"h[0-9a-f]{7}")


def _digest(text: str, algorithm: str) -> str:
    return hashlib.new(algorithm, text.encode()).hexdigest()


def older_versions(version: str, count: int, rng: random.Random) -> list[str]:
    """Up to `count` distinct versions below a numeric `version` (conda ordering)."""
    if not re.fullmatch(r"\d+(\.\d+)*", version):
        return []
    parts = [int(p) for p in version.split(".")]
    candidates: list[str] = []
    for index in reversed(range(len(parts))):  # patch releases first, then minor, then major
        group = []
        for step in (1, 2, 3, 5):
            if parts[index] - step < 0:
                break
            tail = [rng.randint(0, 12) for _ in parts[index + 1:]]
            group.append(".".join(map(str, [*parts[:index], parts[index] - step, *tail])))
        rng.shuffle(group)
        candidates += group
    top = rattler.Version(version)
    return [v for v in dict.fromkeys(candidates) if rattler.Version(v) < top][:count]


def _retarget_python(record: Record, minor: int) -> None:
    """A python extension build for 3.<minor> instead of the one it was built for."""
    old = None
    depends = []
    for dep in record.get("depends", []):
        match = _PY_PIN.match(dep)
        if match and int(match.group(2)) == int(match.group(1)) + 1:
            old = int(match.group(1))
            dep = f"python >=3.{minor},<3.{minor + 1}.0a0"
        depends.append(dep)
    if old is None or f"py3{old}" not in record["build"]:
        return
    record["depends"] = [
        d.replace(f"python_abi 3.{old}.* *_cp3{old}", f"python_abi 3.{minor}.* *_cp3{minor}")
        for d in depends
    ]
    record["build"] = record["build"].replace(f"py3{old}", f"py3{minor}")


def _rebuild(record: Record, build_number: int, rng: random.Random) -> None:
    """A new build string hash and build number, in the build string's own shape."""
    build = _HASH.sub(lambda _: f"h{rng.getrandbits(28):07x}", record["build"], count=1)
    old = str(record.get("build_number", 0))
    if build.endswith("_" + old) or build == old:
        build = build[: len(build) - len(old)] + str(build_number)
    elif build == record["build"]:
        build = f"{build}_h{rng.getrandbits(28):07x}"
    record["build"] = build
    record["build_number"] = build_number


def history(record: Record, count: int, rng: random.Random) -> Iterator[Record]:
    """Older records of the same package."""
    versions = older_versions(record["version"], count, rng)
    timestamp = int(record.get("timestamp") or 1_700_000_000_000)
    for i in range(count):
        old = dict(record)
        if i < len(versions):
            old["version"] = versions[i]
            build_number = rng.randint(0, 3)
        else:  # not numeric, or no room below: earlier builds of the same version
            build_number = max(0, int(record.get("build_number", 0)) - i - 1)
        _rebuild(old, build_number, rng)
        minor_match = re.search(r"py3(\d+)", old["build"])
        if minor_match and 8 <= int(minor_match.group(1)) <= 14:
            current = int(minor_match.group(1))
            _retarget_python(old, rng.randint(max(8, current - 3), current))
        if "depends" in old:
            old["depends"] = list(old["depends"])
        timestamp -= rng.randint(30, 400) * DAY_MS
        old["timestamp"] = max(FLOOR_MS + rng.randint(0, 90) * DAY_MS, timestamp)
        old["size"] = max(1000, int(record.get("size", 10_000) * rng.uniform(0.7, 1.1)))
        yield old


def _rewire(specs: Sequence[str], renamed: set[str], suffix: str) -> list[str]:
    out = []
    for spec in specs:
        match = _NAME.match(spec)
        if match and match.group(0) in renamed:
            spec = match.group(0) + suffix + spec[match.end():]
        out.append(spec)
    return out


def clone(record: Record, renamed: set[str], suffix: str, rng: random.Random) -> Record:
    new = dict(record)
    new["name"] = record["name"] + suffix
    for key in ("depends", "constrains"):
        if key in record:
            new[key] = _rewire(record[key], renamed, suffix)
    new["timestamp"] = max(FLOOR_MS, int(record.get("timestamp") or 1_700_000_000_000)
                           - rng.randint(0, 700) * DAY_MS)
    new["size"] = max(1000, int(record.get("size", 10_000) * rng.uniform(0.8, 1.2)))
    return new


def in_universe(name: str, universe: int) -> bool:
    if name.startswith("__"):
        return False
    return int(_digest(f"{universe}:{name}", "md5")[:8], 16) / 0xFFFFFFFF < CLONE_SHARE


def _finish(record: Record, key: str, taken: set[str]) -> str | None:
    extension = ".conda" if key == "packages.conda" else ".tar.bz2"
    filename = f"{record['name']}-{record['version']}-{record['build']}{extension}"
    if filename in taken:
        return None
    taken.add(filename)
    record["md5"] = _digest(filename, "md5")
    record["sha256"] = _digest(filename, "sha256")
    record.pop("legacy_bz2_md5", None)
    record.pop("legacy_bz2_size", None)
    return filename


def write_shards(target: Path, document: dict[str, Any]) -> None:
    """The subdir as sharded repodata (CEP 16) next to its repodata.json: one zstd msgpack
    shard per package name under `shards/<sha256 of the shard file>.msgpack.zst`, and the
    index `repodata_shards.msgpack.zst` mapping each name to that hash (hashes as bytes)."""
    import msgpack  # type: ignore[import-untyped]  # optional: only for --sharded
    import zstandard

    by_name: dict[str, dict[str, dict[str, Record]]] = {}
    for key in KEYS:
        for filename, record in document[key].items():
            packed = dict(record)
            for digest in ("md5", "sha256", "legacy_bz2_md5"):
                if isinstance(packed.get(digest), str):
                    packed[digest] = bytes.fromhex(packed[digest])
            shard = by_name.setdefault(record["name"], {k: {} for k in KEYS})
            shard[key][filename] = packed
    compressor = zstandard.ZstdCompressor(level=3)
    shards_dir = target / "shards"
    shards_dir.mkdir(exist_ok=True)
    index: dict[str, bytes] = {}
    for name, shard in by_name.items():
        blob = compressor.compress(msgpack.packb({**shard, "removed": []}, use_bin_type=True))
        shard_hash = hashlib.sha256(blob).digest()
        (shards_dir / f"{shard_hash.hex()}.msgpack.zst").write_bytes(blob)
        index[name] = shard_hash
    info = {"subdir": document["info"]["subdir"], "base_url": "./",
            "shards_base_url": "./shards/"}
    (target / "repodata_shards.msgpack.zst").write_bytes(
        compressor.compress(msgpack.packb({"info": info, "shards": index}, use_bin_type=True)))


def write_subdir(source: Path, out: Path, subdir: str, histories: int, clones: int,
                 seed: int, sharded: bool = False) -> int:
    real = json.loads((source / subdir / "repodata.json").read_text(encoding="utf-8"))
    rng = random.Random(f"{seed}:{subdir}")
    result: dict[str, dict[str, Record]] = {key: {} for key in KEYS}
    taken = {fn for key in KEYS for fn in real.get(key, {})}
    base: list[tuple[str, Record]] = []
    for key in KEYS:
        for filename, record in real.get(key, {}).items():
            result[key][filename] = record
            base.append((key, record))
            for old in history(record, histories, rng):
                filename = _finish(old, key, taken)
                if filename is not None:
                    result[key][filename] = old
                    base.append((key, old))
    names = {record["name"] for _, record in base}
    for universe in range(1, clones + 1):
        suffix = f"-syn{universe}"
        renamed = {name for name in names if in_universe(name, universe)}
        for key, record in base:
            if record["name"] in renamed:
                new = clone(record, renamed, suffix, rng)
                filename = _finish(new, key, taken)
                if filename is not None:
                    result[key][filename] = new
    target = out / subdir
    target.mkdir(parents=True, exist_ok=True)
    document = {"info": {"subdir": subdir}, "repodata_version": 1, **result}
    temporary = target / "repodata.json.part"
    with temporary.open("w", encoding="utf-8") as stream:
        json.dump(document, stream, separators=(",", ":"), sort_keys=False)
    temporary.replace(target / "repodata.json")
    if sharded:
        write_shards(target, document)
    return sum(len(v) for v in result.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                        help="the folder holding channels/conda-forge (default: ../shared)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"where the channel is written (default: {DEFAULT_OUT})")
    parser.add_argument("--history", type=int, default=4,
                        help="older records per real record (default 4)")
    parser.add_argument("--clones", type=int, default=8,
                        help="renamed clone universes (default 8)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--sharded", action="store_true",
                        help="also write sharded repodata (CEP 16; needs msgpack, zstandard)")
    args = parser.parse_args(argv)
    source = (args.shared / "channels" / "conda-forge").resolve()
    out = args.out.resolve()
    if not (source / "linux-64" / "repodata.json").is_file():
        print(f"error: no snapshot at {source}; pass --shared DIR", file=sys.stderr)
        return 2
    if out == REPO or REPO in out.parents:
        print(f"error: {out} is inside the repository; write the channel elsewhere",
              file=sys.stderr)
        return 2
    total = 0
    for subdir in SUBDIRS:
        started = time.perf_counter()
        count = write_subdir(source, out, subdir, args.history, args.clones, args.seed,
                             args.sharded)
        size = (out / subdir / "repodata.json").stat().st_size
        print(f"{subdir}: {count:,} records, {size / 1e6:.0f} MB "
              f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
        total += count
    print(f"{out}: {total:,} records", file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
