"""A quiet HTTP handler and server for the tests' local servers (indexes, channels): HEAD
answers as GET without a body, `send_page` writes a 200 with its content type, nothing is
logged, and a client hanging up is not printed as an error."""

from __future__ import annotations

import http.server
import socket
import sys
from typing import Any


class PageHandler(http.server.BaseHTTPRequestHandler):
    """Subclasses implement `do_GET` and answer with `send_page` (or `send_error`)."""

    head_only = False

    def do_GET(self) -> None:
        self.send_error(404)

    def do_HEAD(self) -> None:
        self.head_only = True
        self.do_GET()

    def send_page(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A threaded test server whose connection errors stay silent: uv and pip drop
    connections they no longer need, and a late request can meet a server already closed.
    socketserver prints those tracebacks to sys.stderr, which is then whichever in-process
    CLI run is capturing it, in another test. Any other handler error is still printed."""

    daemon_threads = True

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)
