"""Helpers for the adopt tests: write an input file exactly as given (bytes or text)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteInput = Callable[..., Path]


@pytest.fixture
def write_input(tmp_path: Path) -> WriteInput:
    """Write `content` to `tmp_path/name` byte for byte (no newline translation)."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write
