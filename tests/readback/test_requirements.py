"""The pip pins of requirements.txt that apply to one environment's markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid.errors import UsageError
from hybrid.readback.requirements import read_pins

TEXT = """\
# input-hash: sha256:abc
--index-url https://pypi.org/simple
six==1.16.0 \\
    --hash=sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254
pywin32==306 ; sys_platform == "win32" and platform_machine == "AMD64" \\
    --hash=sha256:84f4471dbca1887ea3803d8848a1616429ac94a4a8d05f4bc9c5dcfd42ca99c8
tool @ https://example.org/tool-1.0-py3-none-any.whl \\
    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000
"""
LINUX = {"sys_platform": "linux", "platform_machine": "x86_64", "python_version": "3.11"}


def test_markers_select_the_pins(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(TEXT)
    assert [p.label for p in read_pins(path)] == [
        "six 1.16.0", "pywin32 306", "tool @ https://example.org/tool-1.0-py3-none-any.whl"]
    assert [p.name for p in read_pins(path, LINUX)] == ["six", "tool"]


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read it"):
        read_pins(tmp_path / "requirements.txt")
