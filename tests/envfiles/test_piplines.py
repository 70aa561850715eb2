"""pip lines: options, editables, hashes, continuations, bare URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.envfiles.inventory import Inventory
from hybrid.envfiles.reqfile import read_requirements


def read(text: str, name: str = "requirements.txt") -> Inventory:
    return read_requirements(Path(name), name, text)


def test_requirements_markers_and_comments() -> None:
    inv = read("# top\nrich>=13  # inline\n\npywin32; sys_platform == 'win32'\n")
    assert [str(p.requirement) for p in inv.pip] == ["rich>=13", 'pywin32; sys_platform == "win32"']
    assert [p.location.line for p in inv.pip] == [2, 4]
    assert inv.problems == [] and inv.notes == []


def test_continuations_and_hashes_keep_the_first_line() -> None:
    inv = read("a==1 \\\n  --hash=sha256:aa \\\n  --hash=sha256:bb\nb==2 --hash sha256:cc\n")
    assert [(p.requirement.name, p.location.line, p.hashes) for p in inv.pip] == [
        ("a", 1, ("sha256:aa", "sha256:bb")),
        ("b", 4, ("sha256:cc",)),
    ]
    assert inv.claims_lock
    assert [n.what for n in inv.notes] == ["--hash on `a` (2)", "--hash on `b` (1)"]


def test_index_options_and_includes() -> None:
    inv = read(
        "-i https://pypi.org/simple\n--extra-index-url=https://x/simple\n"
        "-f https://links\n-r other.txt\n--requirement more.txt\n-rthird.txt\n"
    )
    assert [i.text for i in inv.index_urls] == ["https://pypi.org/simple"]
    assert [i.text for i in inv.extra_index_urls] == ["https://x/simple"]
    assert [i.text for i in inv.find_links] == ["https://links"]
    assert [i.text for i in inv.includes] == ["other.txt", "more.txt", "third.txt"]


@pytest.mark.parametrize(
    ("line", "requirement"),
    [
        (
            "-e git+https://github.com/o/r.git@v1#egg=tool",
            "tool @ git+https://github.com/o/r.git@v1",
        ),
        (
            "-e git+https://github.com/o/r.git#egg=tool&subdirectory=py",
            "tool @ git+https://github.com/o/r.git#subdirectory=py",
        ),
        ("git+https://github.com/o/r.git#egg=tool", "tool @ git+https://github.com/o/r.git"),
        (
            "https://host/p/foo-1.0-py3-none-any.whl",
            "foo @ https://host/p/foo-1.0-py3-none-any.whl",
        ),
        ("tool @ git+https://github.com/o/r.git", "tool @ git+https://github.com/o/r.git"),
    ],
)
def test_urls_become_named_references(line: str, requirement: str) -> None:
    inv = read(line + "\n")
    assert [str(p.requirement) for p in inv.pip] == [requirement]
    assert inv.pip[0].editable == line.startswith("-e")


@pytest.mark.parametrize(
    "line",
    [
        "-e .",
        ".",
        "-e ./pkg",
        "./pkg",
        "src/pkg",
        ".[dev]",
        "-e C:\\src\\pkg",
        "/abs/pkg-1.0.tar.gz",
        "-e git+https://github.com/o/r.git",
        "file:///tmp/pkg",
    ],
)
def test_local_paths_and_unnamed_urls_are_noted_not_carried(line: str) -> None:
    inv = read(line + "\n")
    assert inv.pip == []
    assert inv.problems == []
    assert len(inv.notes) == 1


@pytest.mark.parametrize("line", ["not valid ((", "-r", '--index-url "open', "rich --hash"])
def test_malformed_lines_are_problems(line: str) -> None:
    inv = read(line + "\n")
    assert inv.pip == []
    assert [where.line for where, _ in inv.problems] == [1]


def test_notes_never_show_credentials() -> None:
    inv = read("-e git+https://ada:ghp_secret@github.com/o/r.git\n")
    assert [n.what for n in inv.notes] == ["-e git+https://github.com/o/r.git"]
    assert "ghp_secret" not in str(inv.notes[0])
