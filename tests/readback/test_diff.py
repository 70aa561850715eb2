"""The comparison behind `hybrid diff`, on hand-built conda-lock records."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conda_lock.lockfile import write_conda_lock_file
from conda_lock.lockfile.v2prelim.models import HashModel, LockedDependency, Lockfile, LockMeta

from hybrid.emit.conda_lock_model import LockHash, LockPackage
from hybrid.errors import LockFileError
from hybrid.readback.diff import (
    LockedPackage,
    compare_versions,
    diff_packages,
    diff_paths,
    index_packages,
    read_locks,
)

CHANNEL = "https://conda.anaconda.org/conda-forge"


def conda(
    name: str, version: str, build: str = "h0_0", platform: str = "linux-64", md5: str = "0" * 32
) -> LockPackage:
    return LockPackage(
        name=name,
        version=version,
        manager="conda",
        platform=platform,
        url=f"{CHANNEL}/{platform}/{name}-{version}-{build}.conda",
        hash=LockHash(md5=md5, sha256="1" * 64),
        build=build,
    )


def pip(
    name: str, version: str, platform: str = "linux-64", sha256: str = "a" * 64, tag: str = "py3"
) -> LockPackage:
    return LockPackage(
        name=name,
        version=version,
        manager="pip",
        platform=platform,
        url=f"https://files.pythonhosted.org/{name}-{version}-{tag}-none-any.whl",
        hash=LockHash(sha256=sha256),
    )


def changes(old: list[LockPackage], new: list[LockPackage]) -> list[tuple[str, ...]]:
    found = diff_packages(index_packages(old), index_packages(new), variant="default")
    return [(c.platform, c.layer, c.name, c.kind) for c in found]


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("1.9", "1.10", "upgraded"),
        ("1.10", "1.9", "downgraded"),
        ("2.0.0rc1", "2.0.0", "upgraded"),
        ("2.0.0", "2.0.0rc1", "downgraded"),
        ("1.26.4", "2.1.1", "upgraded"),
        ("2024a", "2024b", "upgraded"),
        ("1!0.1", "2.0", "downgraded"),
    ],
)
def test_conda_versions_are_ordered_as_conda_orders_them(old: str, new: str, kind: str) -> None:
    assert changes([conda("pkg", old)], [conda("pkg", new)]) == [
        ("linux-64", "conda", "pkg", kind)
    ]


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("1.9", "1.10", "upgraded"),
        ("2.0.0rc1", "2.0.0", "upgraded"),
        ("2.0.0", "2.0.0.post1", "upgraded"),
        ("2.0.0.dev1", "2.0.0a1", "upgraded"),
        ("10.0", "9.0", "downgraded"),
    ],
)
def test_pip_versions_follow_pep_440(old: str, new: str, kind: str) -> None:
    assert changes([pip("pkg", old)], [pip("pkg", new)]) == [("linux-64", "pip", "pkg", kind)]


def test_a_build_only_change_is_a_rebuild() -> None:
    old, new = conda("numpy", "2.1.1", "py311h0_0"), conda("numpy", "2.1.1", "py311h1_0")
    (change,) = diff_packages(index_packages([old]), index_packages([new]), variant="cpu")
    assert change.kind == "rebuilt"
    assert change.variant == "cpu"
    assert change.old == LockedPackage(
        version="2.1.1", build="py311h0_0", url=old.url, md5="0" * 32, sha256="1" * 64
    )
    assert change.new is not None and change.new.build == "py311h1_0"


def test_the_same_conda_build_with_another_hash_is_a_rebuild() -> None:
    assert changes([conda("zlib", "1.3")], [conda("zlib", "1.3", md5="f" * 32)]) == [
        ("linux-64", "conda", "zlib", "rebuilt")
    ]


def test_pip_same_version_other_wheel_or_hash_is_a_rebuild() -> None:
    assert changes([pip("rich", "13.7.1")], [pip("rich", "13.7.1", sha256="b" * 64)]) == [
        ("linux-64", "pip", "rich", "rebuilt")
    ]
    assert changes([pip("rich", "13.7.1")], [pip("rich", "13.7.1", tag="py310")]) == [
        ("linux-64", "pip", "rich", "rebuilt")
    ]


def test_identical_records_make_no_change() -> None:
    records = [conda("python", "3.11.9"), pip("rich", "13.7.1")]
    assert changes(records, list(records)) == []


def test_pip_names_are_compared_canonically() -> None:
    old, new = pip("typing_extensions", "4.12.2"), pip("Typing-Extensions", "4.12.2")
    assert changes([old], [replace(new, url=old.url)]) == []
    (change,) = changes([old], [pip("Typing-Extensions", "4.13.0")])
    assert change[2:] == ("Typing-Extensions", "upgraded")


def test_added_removed_and_the_order_of_everything() -> None:
    old = [
        conda("zlib", "1.3", platform="osx-arm64"),
        pip("rich", "13.7.1"),
        conda("zlib", "1.3"),
        conda("numpy", "1.26.4"),
    ]
    new = [
        pip("rich", "13.7.1", platform="osx-arm64"),
        conda("numpy", "2.1.1"),
        conda("numpy", "2.1.1", platform="osx-arm64"),
        conda("zlib", "1.3"),
        conda("zlib", "1.3", platform="osx-arm64"),
    ]
    assert changes(old, new) == [
        ("linux-64", "conda", "numpy", "upgraded"),
        ("linux-64", "pip", "rich", "removed"),
        ("osx-arm64", "conda", "numpy", "added"),
        ("osx-arm64", "pip", "rich", "added"),
    ]


def test_the_same_name_in_both_layers_is_two_packages() -> None:
    old = [conda("numpy", "1.26.4"), pip("numpy", "1.26.4")]
    new = [conda("numpy", "2.1.1"), pip("numpy", "1.26.4")]
    assert changes(old, new) == [("linux-64", "conda", "numpy", "upgraded")]


@pytest.mark.parametrize(
    ("layer", "old", "new", "order"),
    [
        ("conda", "1.9", "1.10", -1),
        ("conda", "1.0", "1.0.0", 0),
        ("conda", "2.0.0rc1", "2.0.0", -1),
        ("pip", "1.0", "1.0.0", 0),
        ("pip", "2.0", "1.0", 1),
        ("pip", "banana", "cherry", -1),  # neither is PEP 440: plain string order
        ("conda", "1.0", "zz!!", -1),  # not a conda version: plain string order
    ],
)
def test_compare_versions(layer: str, old: str, new: str, order: int) -> None:
    assert compare_versions(layer, old, new) == order  # type: ignore[arg-type]


def write_lock(path: Path, records: list[LockPackage]) -> Path:
    """`records` written by conda-lock's own writer: the reader reads what conda-lock writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    platforms = sorted({r.platform for r in records})
    lockfile = Lockfile(
        package=[_conda_lock_record(r) for r in records],
        metadata=LockMeta(
            content_hash={p: "sha256:0" for p in platforms},
            channels=["conda-forge"],
            platforms=platforms,
            sources=["spec.yaml"],
        ),
    )
    write_conda_lock_file(lockfile, path, metadata_choices=None, include_help_text=False)
    return path


def test_a_directory_holds_its_own_lock_and_its_subfolders(tmp_path: Path) -> None:
    write_lock(tmp_path / "conda-lock.yml", [conda("a", "1")])
    write_lock(tmp_path / "cpu" / "conda-lock.yml", [conda("b", "1")])
    write_lock(tmp_path / "cuda-12.6" / "conda-lock.yml", [conda("c", "1")])
    write_lock(tmp_path / "cpu" / "deeper" / "conda-lock.yml", [conda("d", "1")])
    (tmp_path / "empty").mkdir()
    locks = read_locks(tmp_path)
    assert sorted(locks) == ["cpu", "cuda-12.6", "default"]
    assert [key[2] for key in locks["cuda-12.6"]] == ["c"]


def test_variants_are_matched_by_name(tmp_path: Path) -> None:
    for side, version in (("old", "1"), ("new", "2")):
        write_lock(tmp_path / side / "cpu" / "conda-lock.yml", [conda("a", "1")])
        write_lock(tmp_path / side / "cuda-12.6" / "conda-lock.yml", [conda("a", version)])
    write_lock(tmp_path / "new" / "cuda-12.8" / "conda-lock.yml", [conda("a", "2")])
    result = diff_paths(tmp_path / "old", tmp_path / "new")
    assert result.variants == ("cpu", "cuda-12.6", "cuda-12.8")
    assert [(c.variant, c.name, c.kind) for c in result.changes] == [
        ("cuda-12.6", "a", "upgraded"),
        ("cuda-12.8", "a", "added"),
    ]
    assert result.counts() == {
        "added": 1, "removed": 0, "upgraded": 1, "downgraded": 0, "rebuilt": 0
    }


def test_one_lock_each_side_are_compared_whatever_their_variant(tmp_path: Path) -> None:
    old = write_lock(tmp_path / "old" / "conda-lock.yml", [conda("a", "1")])
    write_lock(tmp_path / "new" / "cpu" / "conda-lock.yml", [conda("a", "2")])
    result = diff_paths(old, tmp_path / "new")
    assert result.variants == ("cpu",)
    assert [(c.variant, c.kind) for c in result.changes] == [("cpu", "upgraded")]


def test_to_dict_round_trips_through_json(tmp_path: Path) -> None:
    import json

    old = write_lock(tmp_path / "old.yml", [conda("a", "1"), pip("b", "1")])
    new = write_lock(tmp_path / "new.yml", [conda("a", "1", "h1_0"), pip("c", "1")])
    data = json.loads(json.dumps(diff_paths(old, new).to_dict()))
    assert data["identical"] is False
    assert data["variants"] == ["default"]
    assert [(c["layer"], c["name"], c["change"]) for c in data["changes"]] == [
        ("conda", "a", "rebuilt"),
        ("pip", "b", "removed"),
        ("pip", "c", "added"),
    ]
    assert data["changes"][0]["new"]["build"] == "h1_0"
    assert data["changes"][1]["new"] is None


_META = (
    "metadata: {content_hash: {}, channels: [conda-forge], platforms: [linux-64], sources: []}\n"
)
_CONDA = (
    "package:\n- name: a\n  version: '1'\n  manager: conda\n  platform: linux-64\n"
    "  url: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda\n  hash:\n"
)
_NPM = _CONDA.replace("manager: conda", "manager: npm")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("version: 1\npackage: [\n", ":3:1: invalid YAML"),
        ("- a\n- b\n", ":1:1: top level: expected a mapping, found a list"),
        ("", ": empty"),
        ("version: 1\npackage: 3\n", ":2:10: package: expected a list, found '3'"),
        ("package: []\n", "missing a version"),
        ("version: 9\n", ":1:10: version: unknown version 9"),
        ("version: 1\nmetadata: {}\npackage: []\n", ":2:11: metadata: no `content_hash` field"),
        (f"version: 1\n{_META}{_CONDA}    sha256: ab\n",
         ":10:5: package[0].hash: a conda package needs an md5"),
        (f"version: 1\n{_META}{_NPM}    md5: ab\n",
         ":6:12: package[0].manager: expected conda or pip, found 'npm'"),
        (f"version: 1\n{_META}{_CONDA}    md5: ab\n  category: [main]\n",
         ":11:13: package[0].category: expected a string, found a list"),
    ],
)  # fmt: skip
def test_a_bad_lock_file_is_an_error_naming_file_line_and_field(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = tmp_path / "conda-lock.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LockFileError) as info:
        read_locks(path)
    message = str(info.value)
    assert f"{path}{reason}" in message if reason.startswith(":") else reason in message
    assert info.value.exit_code == 2


def test_a_good_lock_reads_after_the_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "conda-lock.yml"
    path.write_text(f"version: 1\n{_META}{_CONDA}    md5: ab\n", encoding="utf-8")
    ((key, (_name, locked)),) = read_locks(path)["default"].items()
    assert key == ("linux-64", "conda", "a", "main")
    assert locked.md5 == "ab" and locked.version == "1"


def _conda_lock_record(record: LockPackage) -> LockedDependency:
    return LockedDependency(
        name=record.name,
        version=record.version,
        manager=record.manager,
        platform=record.platform,
        url=record.url,
        hash=HashModel(md5=record.hash.md5, sha256=record.hash.sha256),
        build=record.build,
        categories=set(record.categories),
    )
