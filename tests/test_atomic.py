"""The atomic writer: all files or none; a failure leaves what was there before untouched, and
a signal during the renames takes effect only once all are done."""

from __future__ import annotations

import os
import signal
import stat
import sys
from pathlib import Path

import pytest

from hybrid.atomic import remove_stale_temporaries, replacing, write_files_atomically
from hybrid.cli.signals import Terminated, raising_on_signals
from hybrid.errors import HybridError
from tests.conda.helpers import read_tree


@pytest.fixture
def previous(tmp_path: Path) -> dict[str, bytes]:
    """An output folder from an earlier run."""
    out = tmp_path / "out"
    write_files_atomically({out / "a.lock": "old a\n", out / "b.lock": "old b\n"})
    return read_tree(out)


def test_writes_every_file_with_lf_endings_and_creates_folders(tmp_path: Path) -> None:
    files = {tmp_path / "x" / "y" / "one.txt": "1\n2\n", tmp_path / "two.txt": "é\n"}
    write_files_atomically(files)
    assert (tmp_path / "x" / "y" / "one.txt").read_bytes() == b"1\n2\n"
    assert (tmp_path / "two.txt").read_bytes() == "é\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two.txt", "x"]  # no temp files


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_files_get_the_mode_of_an_ordinary_new_file(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_files_atomically({tmp_path / "env.yml": "x\n"})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "env.yml").stat().st_mode) == 0o644


def test_replaces_existing_files(tmp_path: Path, previous: dict[str, bytes]) -> None:
    out = tmp_path / "out"
    write_files_atomically({out / "a.lock": "new a\n", out / "b.lock": "new b\n"})
    assert read_tree(out) == {"a.lock": b"new a\n", "b.lock": b"new b\n"}


def test_a_failure_while_writing_the_last_file_changes_nothing(
    tmp_path: Path, previous: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    files = {
        out / "a.lock": "new a\n",
        out / "b.lock": "new b\n",
        out / "c.new": "fine\n",
        out / "z.lock": "cannot encode \udc80\n",  # a lone surrogate: UTF-8 encoding fails
    }
    with pytest.raises(UnicodeEncodeError):  # not an OSError: a bug, left to the CLI boundary
        write_files_atomically(files)
    assert read_tree(out) == previous  # old files as they were; no new file, no temp file


def test_a_parent_that_is_a_file_fails_cleanly(tmp_path: Path, previous: dict[str, bytes]) -> None:
    out = tmp_path / "out"
    (tmp_path / "blocker").write_text("a file, not a folder\n", encoding="utf-8")
    files = {out / "a.lock": "new a\n", tmp_path / "blocker" / "inner.lock": "x\n"}
    with pytest.raises(HybridError, match="cannot write"):
        write_files_atomically(files)
    assert read_tree(out) == previous


def test_a_directory_in_the_way_fails_before_anything_is_replaced(
    tmp_path: Path, previous: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    (out / "c.lock").mkdir()
    files = {out / "a.lock": "new a\n", out / "b.lock": "new b\n", out / "c.lock": "x\n"}
    with pytest.raises(HybridError, match="directory"):
        write_files_atomically(files)
    assert read_tree(out) == previous
    assert (out / "c.lock").is_dir()


def test_bytes_are_written_as_they_are_and_replace_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.json"
    write_files_atomically({target: b"one\r\n"})
    write_files_atomically({target: b"two\r\n"})
    assert target.read_bytes() == b"two\r\n"
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]


def test_replacing_moves_what_the_block_wrote_into_place(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "pkg-1.0-0.conda"
    with replacing(target) as partial:
        assert partial.parent == target.parent and partial.exists() and not target.exists()
        partial.write_bytes(b"archive")
    assert target.read_bytes() == b"archive"
    assert [p.name for p in target.parent.iterdir()] == ["pkg-1.0-0.conda"]


def test_replacing_keeps_the_old_file_when_the_block_fails(tmp_path: Path) -> None:
    target = tmp_path / "pkg-1.0-0.conda"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(target) as partial:
        partial.write_bytes(b"half")
        raise RuntimeError("download failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["pkg-1.0-0.conda"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    ("signum", "raised"),
    [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_signal_between_two_renames_waits_until_every_file_is_in_place(
    tmp_path: Path,
    previous: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    signum: signal.Signals,
    raised: type[BaseException],
) -> None:
    """The first rename signals the process; the signal takes effect after the last one."""
    out = tmp_path / "out"
    rename = os.replace
    renamed: list[str] = []

    def rename_then_signal(source: str | os.PathLike[str], target: Path) -> None:
        rename(source, target)
        renamed.append(target.name)
        os.kill(os.getpid(), signum)

    monkeypatch.setattr(os, "replace", rename_then_signal)
    with raising_on_signals(), pytest.raises(raised):
        write_files_atomically({out / "a.lock": "new a\n", out / "b.lock": "new b\n"})
    assert renamed == ["a.lock", "b.lock"]
    assert read_tree(out) == {"a.lock": b"new a\n", "b.lock": b"new b\n"}


def test_stale_temporaries_of_the_targets_are_removed(tmp_path: Path) -> None:
    names = [".a.lock.k2x_9abq.tmp", ".a.lock.short.tmp", ".b.lock.0a1b2c3d.tmp", "a.lock"]
    for name in names:
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    removed = remove_stale_temporaries([tmp_path / "a.lock", tmp_path / "missing" / "c.lock"])
    assert removed == [tmp_path / ".a.lock.k2x_9abq.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:])
