"""The local channel builder makes real channels: rattler indexes, solves and installs them."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import tarfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest
import rattler
from rattler import (
    BuildString,
    Channel,
    GenericVirtualPackage,
    PackageName,
    RepoDataRecord,
    Subdir,
    Version,
)

from hybrid.devtools.demo_channel import (
    DEMO_LICENSE,
    DEMO_PLATFORMS,
    demo_packages,
    main,
)
from hybrid.devtools.local_channel import SUBDIRS, PackageSpec, build_channel

T_2024_06 = 1_717_200_000_000  # 2024-06-01T00:00:00Z in ms
T_2024_09 = 1_725_148_800_000  # 2024-09-01T00:00:00Z in ms


def _virtual(name: str, version: str = "0") -> GenericVirtualPackage:
    return GenericVirtualPackage(PackageName(name), Version(version), BuildString("0"))


VIRTUAL: dict[str, list[GenericVirtualPackage]] = {
    "linux-64": [_virtual("__unix"), _virtual("__linux", "5.10"), _virtual("__glibc", "2.28")],
    "osx-arm64": [_virtual("__unix"), _virtual("__osx", "14.0")],
    "win-64": [_virtual("__win")],
}


def small_packages() -> list[PackageSpec]:
    return [
        PackageSpec(
            name="python",
            version="3.11.9",
            build="h0_cpython",
            subdir="linux-64",
            depends=("python_abi 3.11.* *_cp311",),
            timestamp=T_2024_06,
        ),
        PackageSpec(
            name="python_abi",
            version="3.11",
            build="5_cp311",
            subdir="linux-64",
            build_number=5,
            timestamp=T_2024_06,
        ),
        PackageSpec(
            name="python",
            version="3.12.4",
            build="h0_cpython",
            subdir="win-64",
            timestamp=T_2024_06,
        ),
        PackageSpec(
            name="greeter",
            version="1.0",
            noarch="python",
            depends=("python >=3.10", "tzdata"),
            timestamp=T_2024_06,
            summary="test package",
        ),
        PackageSpec(
            name="greeter",
            version="2.0",
            noarch="python",
            depends=("python >=3.10", "tzdata"),
            timestamp=T_2024_09,
        ),
        PackageSpec(
            name="tzdata",
            version="2024a",
            timestamp=T_2024_06,
            track_features=("demo-feature",),
            license="Apache-2.0",
        ),
        PackageSpec(
            name="tool",
            version="0.1",
            subdir="linux-64",
            files={"bin/tool": "#!/bin/sh\necho tool\n", "share/tool/data.txt": "data\n"},
            constrains=("greeter <3",),
        ),
    ]


def solve(
    root: Path,
    specs: Sequence[str],
    platform: str = "linux-64",
    exclude_newer: dt.datetime | None = None,
) -> list[RepoDataRecord]:
    coroutine = rattler.solve(
        [Channel(str(root))],
        list(specs),
        platforms=[Subdir(platform), Subdir("noarch")],
        virtual_packages=VIRTUAL[platform],
        exclude_newer=exclude_newer,
    )
    records: list[RepoDataRecord] = asyncio.run(coroutine)
    return records


def install(records: list[RepoDataRecord], prefix: Path, cache: Path, platform: str) -> None:
    coroutine = rattler.install(
        records, prefix, cache_dir=cache, platform=Subdir(platform), show_progress=False
    )
    asyncio.run(coroutine)


def by_name(records: Sequence[RepoDataRecord]) -> dict[str, RepoDataRecord]:
    return {record.name.normalized: record for record in records}


def local_path(url: str) -> Path:
    parsed = urlparse(url)
    assert parsed.scheme == "file"
    return Path(url2pathname(parsed.path))


def read_member(archive: Path, name: str) -> bytes:
    with tarfile.open(archive, "r:bz2") as tar:
        member = tar.extractfile(name)
        assert member is not None
        return member.read()


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_channel(tmp_path_factory.mktemp("channel"), small_packages())


@pytest.fixture
def demo(demo_channel: Path) -> Path:
    """The session's demo channel (tests/conftest.py): read here, never written."""
    return demo_channel


# -- the archives -------------------------------------------------------------------------------


def test_every_subdir_is_indexed(channel: Path) -> None:
    for subdir in SUBDIRS:
        repodata = json.loads((channel / subdir / "repodata.json").read_text())
        assert repodata["info"]["subdir"] == subdir
    assert not (channel / ".tmp").exists()
    assert (channel / "noarch" / "greeter-1.0-0.tar.bz2").is_file()
    assert (channel / "linux-64" / "tool-0.1-0.tar.bz2").is_file()


def test_archive_holds_conda_metadata(channel: Path) -> None:
    archive = channel / "noarch" / "greeter-1.0-0.tar.bz2"
    with tarfile.open(archive, "r:bz2") as tar:
        members = tar.getmembers()
    names = [member.name for member in members]
    assert names == sorted(names)
    assert {m.mtime for m in members} == {T_2024_06 // 1000}
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}

    index = json.loads(read_member(archive, "info/index.json"))
    assert index["noarch"] == "python"
    assert index["depends"] == ["python >=3.10", "tzdata"]
    assert index["timestamp"] == T_2024_06
    link = json.loads(read_member(archive, "info/link.json"))
    assert link["noarch"]["type"] == "python"
    assert json.loads(read_member(archive, "info/about.json")) == {"summary": "test package"}

    payload = "site-packages/greeter/__init__.py"
    assert read_member(archive, "info/files").decode() == f"{payload}\n"
    (entry,) = json.loads(read_member(archive, "info/paths.json"))["paths"]
    content = read_member(archive, payload)
    assert entry == {
        "_path": payload,
        "path_type": "hardlink",
        "sha256": hashlib.sha256(content).hexdigest(),
        "size_in_bytes": len(content),
    }


def test_repodata_records_match_the_archives(channel: Path) -> None:
    repodata = json.loads((channel / "noarch" / "repodata.json").read_text())
    tzdata = repodata["packages"]["tzdata-2024a-0.tar.bz2"]
    data = (channel / "noarch" / "tzdata-2024a-0.tar.bz2").read_bytes()
    assert tzdata["sha256"] == hashlib.sha256(data).hexdigest()
    assert tzdata["md5"] == hashlib.md5(data).hexdigest()
    assert tzdata["size"] == len(data)
    assert tzdata["timestamp"] == tzdata["indexed_timestamp"] == T_2024_06
    assert tzdata["track_features"] == "demo-feature"
    assert tzdata["license"] == "Apache-2.0"
    assert tzdata["noarch"] == "generic"

    linux = json.loads((channel / "linux-64" / "repodata.json").read_text())["packages"]
    assert linux["python-3.11.9-h0_cpython.tar.bz2"]["arch"] == "x86_64"
    assert linux["python-3.11.9-h0_cpython.tar.bz2"]["platform"] == "linux"
    tool = linux["tool-0.1-0.tar.bz2"]
    assert tool["constrains"] == ["greeter <3"]
    assert "timestamp" not in tool
    assert "indexed_timestamp" not in tool


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build_channel(tmp_path / "first", small_packages())
    time.sleep(0.01)
    second = build_channel(tmp_path / "second", reversed(small_packages()))
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_clean_rebuild_drops_stale_packages(tmp_path: Path) -> None:
    build_channel(tmp_path, small_packages())
    build_channel(tmp_path, [PackageSpec(name="tzdata", version="2024b")], clean=True)
    assert sorted(p.name for p in tmp_path.rglob("*.tar.bz2")) == ["tzdata-2024b-0.tar.bz2"]
    repodata = json.loads((tmp_path / "noarch" / "repodata.json").read_text())
    assert list(repodata["packages"]) == ["tzdata-2024b-0.tar.bz2"]
    assert json.loads((tmp_path / "linux-64" / "repodata.json").read_text())["packages"] == {}


def test_build_works_inside_a_running_event_loop(tmp_path: Path) -> None:
    async def inside() -> Path:
        return build_channel(tmp_path, [PackageSpec(name="tzdata", version="2024a")])

    root = asyncio.run(inside())
    assert (root / "noarch" / "repodata.json").is_file()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subdir": "linux-64", "noarch": "python"}, "needs subdir 'noarch'"),
        ({"subdir": "solaris-64"}, "unknown subdir"),
        ({"files": {"../escape": "x"}}, "relative POSIX path"),
        ({"files": {"/abs": "x"}}, "relative POSIX path"),
        ({"files": {"info/index.json": "{}"}}, "inside info/"),
    ],
)
def test_invalid_specs_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PackageSpec(name="bad", version="1", **fields)


def test_invalid_match_specs_are_refused() -> None:
    with pytest.raises(ValueError, match="bad: invalid match spec 'python >=>3'"):
        PackageSpec(name="bad", version="1", depends=("python >=>3",))
    with pytest.raises(ValueError, match="invalid version"):
        PackageSpec(name="bad", version="1..x")
    with pytest.raises(ValueError, match="invalid name"):
        PackageSpec(name="Bad Name", version="1")


def test_duplicate_packages_are_refused(tmp_path: Path) -> None:
    twice = [PackageSpec(name="tzdata", version="2024a")] * 2
    with pytest.raises(ValueError, match="given twice"):
        build_channel(tmp_path, twice)


def test_spec_defaults() -> None:
    spec = PackageSpec(name="my-lib", version="1.0")
    assert spec.noarch == "generic"
    assert spec.filename == "my-lib-1.0-0.tar.bz2"
    assert dict(spec.payload()) == {"share/my-lib/README": "my-lib 1.0 (0)\n"}
    pure = PackageSpec(name="my-lib", version="1.0", noarch="python")
    assert list(pure.payload()) == ["site-packages/my_lib/__init__.py"]


# -- solving and installing ---------------------------------------------------------------------


def test_solved_records_point_at_the_archives(channel: Path) -> None:
    records = by_name(solve(channel, ["greeter", "tool"]))
    assert set(records) == {"greeter", "python", "python_abi", "tzdata", "tool"}
    assert str(records["greeter"].version) == "2.0"
    for record in records.values():
        archive = local_path(record.url)
        assert archive.parent.parent == channel
        assert archive.name == record.file_name
        data = archive.read_bytes()
        assert record.sha256 is not None and record.sha256.hex() == hashlib.sha256(data).hexdigest()
        assert record.md5 is not None and record.md5.hex() == hashlib.md5(data).hexdigest()
        assert record.size == len(data)


def test_exclude_newer_uses_the_package_timestamps(channel: Path) -> None:
    cutoff = dt.datetime(2024, 7, 1, tzinfo=dt.timezone.utc)
    records = by_name(solve(channel, ["greeter"], exclude_newer=cutoff))
    assert str(records["greeter"].version) == "1.0"
    assert records["greeter"].timestamp == dt.datetime.fromtimestamp(
        T_2024_06 / 1000, tz=dt.timezone.utc
    )


def test_install_writes_files_and_conda_meta(channel: Path, tmp_path: Path) -> None:
    records = solve(channel, ["greeter", "tool"])
    prefix = tmp_path / "env"
    install(records, prefix, tmp_path / "cache", "linux-64")

    module = prefix / "lib" / "python3.11" / "site-packages" / "greeter" / "__init__.py"
    assert module.read_text() == '__version__ = "2.0"\n'
    assert (prefix / "bin" / "tool").read_text() == "#!/bin/sh\necho tool\n"
    assert (prefix / "share" / "tool" / "data.txt").is_file()
    for record in records:
        meta_file = prefix / "conda-meta" / f"{record.file_name.removesuffix('.tar.bz2')}.json"
        meta = json.loads(meta_file.read_text())
        assert record.sha256 is not None
        assert meta["sha256"] == record.sha256.hex()
    greeter = json.loads((prefix / "conda-meta" / "greeter-2.0-0.json").read_text())
    assert greeter["files"] == ["lib/python3.11/site-packages/greeter/__init__.py"]
    assert greeter["timestamp"] == T_2024_09


# -- the demo channel ---------------------------------------------------------------------------


def test_demo_channel_is_small_and_labelled() -> None:
    packages = demo_packages()
    assert len(packages) < 60
    assert all(package.timestamp is not None for package in packages)
    assert all(package.license == DEMO_LICENSE for package in packages)
    assert all((package.summary or "").startswith("DEMO") for package in packages)
    assert {package.subdir for package in packages} == {"noarch", *DEMO_PLATFORMS}


def test_demo_channel_builds_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    assert main([str(tmp_path)]) == 0
    assert time.perf_counter() - started < 10
    (line,) = capsys.readouterr().out.splitlines()
    assert "packages" in line
    assert len(list(tmp_path.rglob("*.tar.bz2"))) == len(demo_packages())


@pytest.mark.parametrize("platform", ["linux-64", "osx-arm64", "win-64"])
def test_demo_channel_solves_the_quickstart(demo: Path, platform: str) -> None:
    records = by_name(solve(demo, ["python 3.11.*", "numpy >=1.26", "hybrid-demo-hello"], platform))
    assert set(records) == {
        "hybrid-demo-hello",
        "libopenblas",
        "numpy",
        "python",
        "python_abi",
        "tzdata",
    }
    assert str(records["python"].version) == "3.11.9"
    assert str(records["numpy"].version) == "2.1.1"
    assert str(records["numpy"].build).startswith("py311h")
    assert str(records["python_abi"].build) == "5_cp311"
    assert {record.subdir for record in records.values()} == {platform, "noarch"}


def test_demo_snapshot_excludes_later_packages(demo: Path) -> None:
    cutoff = dt.datetime(2024, 8, 1, tzinfo=dt.timezone.utc)
    records = by_name(solve(demo, ["python 3.12.*", "numpy", "pip"], exclude_newer=cutoff))
    assert str(records["numpy"].version) == "1.26.4"
    assert str(records["pip"].version) == "24.2"


@pytest.mark.parametrize(
    ("platform", "site_packages"),
    [("linux-64", "lib/python3.10/site-packages"), ("win-64", "Lib/site-packages")],
)
def test_demo_environment_installs(
    demo: Path, tmp_path: Path, platform: str, site_packages: str
) -> None:
    records = solve(demo, ["python 3.10.*", "hybrid-demo-hello", "pip"], platform)
    prefix = tmp_path / "env"
    install(records, prefix, tmp_path / "cache", platform)
    site = prefix / site_packages
    assert "def greet" in (site / "hybrid_demo_hello" / "__init__.py").read_text()
    assert (site / "numpy-2.1.1.dist-info" / "METADATA").read_text().startswith("Metadata")
    assert (site / "pip" / "__init__.py").is_file()
    assert len(list((prefix / "conda-meta").glob("*.json"))) == len(records)
