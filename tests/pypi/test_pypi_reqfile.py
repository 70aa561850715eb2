"""Reading what the resolvers write, and turning it into pins (no resolver runs here)."""

from __future__ import annotations

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from hybrid.errors import BackendError
from hybrid.pypi.directrefs import DirectPin
from hybrid.pypi.pins import collect_pins
from hybrid.pypi.reqfile import parse_compiled

UV_OUTPUT = """\
accelerate==1.15.0 \\
    --hash=sha256:97eacca0b73e45cb867dbf8c5d5d4dc32219544300e0c8992c7334dc2ef33cec \\
    --hash=sha256:5654f8c5eaa0d4fa68b33e287a97765da6849bf6d51dcac874e73fbbddfb6134
    # from https://pypi.org/simple
numpy==2.1.3+conda \\
    --hash=sha256:2f6456cad10eaf9ddb8e4c8df632c9d25e65c9a49235254b48211509b24c75e4
private-pkg==0.3 \\
    --hash=sha256:aaaa
    # from https://pypi.example.org/simple
tinypkg @ git+https://github.com/o/tinypkg@e77460186f5e5cf97603b4a9370274881468fca7
PyYAML==6.0.2
"""

PIP_COMPILE_OUTPUT = """\
--find-links /somewhere
six==1.17.0 \\
    --hash=sha256:ff70335d468e7eb6ec65b95b99d3a2836546063f63acc5171de367e834932a81 \\
    --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274
# WARNING: pip install will require the following package to be hashed.
# Consider using a hashable URL like https://github.com/jazzband/pip-tools/archive/SOMECOMMIT.zip
tinypkg @ git+file:/tmp/repo@v0.1.0
"""


def test_uv_output() -> None:
    lines = parse_compiled(UV_OUTPUT, tool="uv")
    assert [str(line.requirement) for line in lines] == [
        "accelerate==1.15.0",
        "numpy==2.1.3+conda",
        "private-pkg==0.3",
        "tinypkg @ git+https://github.com/o/tinypkg@e77460186f5e5cf97603b4a9370274881468fca7",
        "PyYAML==6.0.2",
    ]
    assert lines[0].hashes == (
        "sha256:5654f8c5eaa0d4fa68b33e287a97765da6849bf6d51dcac874e73fbbddfb6134",
        "sha256:97eacca0b73e45cb867dbf8c5d5d4dc32219544300e0c8992c7334dc2ef33cec",
    )
    assert [line.index_url for line in lines] == [
        "https://pypi.org/simple", None, "https://pypi.example.org/simple", None, None,
    ]


def test_pip_compile_output_skips_options_and_comments() -> None:
    lines = parse_compiled(PIP_COMPILE_OUTPUT, tool="pip-compile")
    assert [line.requirement.name for line in lines] == ["six", "tinypkg"]
    assert len(lines[0].hashes) == 2


def test_pins_leave_stubs_out_and_sort_by_canonical_name() -> None:
    lines = parse_compiled(UV_OUTPUT, tool="uv")
    direct = {
        canonicalize_name("tinypkg"): DirectPin(
            version=Version("0.1.0"),
            url="git+https://user:tok@github.com/o/tinypkg@e77460186f5e5cf97603b4a9370274881468fca7",
            hashes=(),
        )
    }
    pins = collect_pins(lines, direct, tool="uv")
    assert [(pin.name, str(pin.version)) for pin in pins] == [
        ("accelerate", "1.15.0"), ("private-pkg", "0.3"), ("pyyaml", "6.0.2"),
        ("tinypkg", "0.1.0"),
    ]
    assert pins[3].url == (
        "git+https://github.com/o/tinypkg@e77460186f5e5cf97603b4a9370274881468fca7"
    )
    assert pins[1].index_url == "https://pypi.example.org/simple"


def test_credentials_in_an_index_annotation_are_stripped() -> None:
    text = "six==1.17.0 \\\n    --hash=sha256:ab\n    # from https://me:s3cret@pypi.example.org/simple\n"
    (pin,) = collect_pins(parse_compiled(text, tool="uv"), {}, tool="uv")
    assert pin.index_url == "https://pypi.example.org/simple"


@pytest.mark.parametrize("text", ["six>=1.0\n", "six==1.*\n", "six @@ nothing\n",
                                  "six==1.0 --no-binary six\n"])
def test_lines_that_are_not_pins_are_backend_errors(text: str) -> None:
    with pytest.raises(BackendError):
        collect_pins(parse_compiled(text, tool="uv"), {}, tool="uv")
