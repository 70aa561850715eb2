"""`conda list --explicit` files."""

from __future__ import annotations

from pathlib import Path

from hybrid.envfiles.explicit import is_explicit, read_explicit
from hybrid.envfiles.inventory import Inventory


def read(text: str) -> Inventory:
    inv = Inventory(path=Path("x.lock"), display="x.lock", kind="explicit")
    read_explicit(inv, text)
    return inv


def test_urls_become_channel_qualified_exact_pins() -> None:
    inv = read(
        "@EXPLICIT\n"
        "https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda#md5\n"
        "https://conda.anaconda.org/nvidia/label/cuda-11.8.0/linux-64/cuda-11.8.0-0.tar.bz2\n"
        "https://repo.anaconda.com/pkgs/main/noarch/six-1.16.0-pyhd3eb1b0_1.conda\n"
    )
    assert inv.problems == []
    assert [(c.spec, c.channel, c.platforms) for c in inv.conda] == [
        ("conda-forge::numpy ==1.26.4 py311h64a7726_0", "conda-forge", frozenset({"linux-64"})),
        (
            "nvidia/label/cuda-11.8.0::cuda ==11.8.0 0",
            "nvidia/label/cuda-11.8.0",
            frozenset({"linux-64"}),
        ),
        (
            "https://repo.anaconda.com/pkgs/main::six ==1.16.0 pyhd3eb1b0_1",
            "https://repo.anaconda.com/pkgs/main",
            frozenset({"linux-64"}),
        ),
    ]
    assert [p.text for p in inv.platforms] == ["linux-64"]
    assert inv.claims_lock


def test_the_platform_header_wins_and_checksums_are_noted() -> None:
    inv = read(
        "# platform: osx-arm64\n@EXPLICIT\n"
        "https://conda.anaconda.org/conda-forge/noarch/six-1.16.0-pyh_1.conda#abc\n"
    )
    assert [p.text for p in inv.platforms] == ["osx-arm64"]
    assert inv.conda[0].platforms == frozenset({"osx-arm64"})
    assert [n.what for n in inv.notes] == ["1 package checksum(s)"]


def test_bad_lines_are_located_problems() -> None:
    inv = read(
        "numpy\n@EXPLICIT\nnot a url\n"
        "https://conda.anaconda.org/conda-forge/linux-32/numpy-1.0-0.conda\n"
        "https://conda.anaconda.org/conda-forge/linux-64/numpy.whl\n"
        "http://[::1/x/y\n"
    )
    assert [where.line for where, _ in inv.problems] == [1, 3, 4, 5, 6]
    assert "linux-32" in inv.problems[2][1]


def test_detection() -> None:
    assert is_explicit("# comment\r\n@EXPLICIT\r\n")
    assert not is_explicit("numpy\n# @EXPLICIT\n")
