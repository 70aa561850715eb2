"""A quiet HTTP handler for the tests' local servers (indexes, channels): HEAD answers as GET
without a body, `send_page` writes a 200 with its content type, nothing is logged."""

from __future__ import annotations

import http.server


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
