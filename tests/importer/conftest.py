"""Helpers for the import tests: serve files over HTTP on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.pages import QuietServer


@dataclass
class Served:
    """A directory served over HTTP on 127.0.0.1, and the Authorization headers received."""

    root: Path
    url: str
    authorizations: list[str | None] = field(default_factory=list)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """Serve `tmp_path/www` on 127.0.0.1 (an ephemeral port) for the test's duration."""
    root = tmp_path / "www"
    root.mkdir()
    seen: list[str | None] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: no request log on stderr."""

    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Served(root=root, url=f"http://127.0.0.1:{server.server_port}", authorizations=seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
