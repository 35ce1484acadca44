"""A small local HTTP server for the curl tasks (127.0.0.1 only, started by the runner)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = 18080
URL = f"http://127.0.0.1:{PORT}"

PAGES = {
    "/hello.txt": ("text/plain", b"hello from the benchmark\n"),
    "/files/report.pdf": ("application/pdf", b"%PDF-1.4 benchmark report\n"),
    "/data.json": (
        "application/json",
        b'{"name": "demo", "version": "2.0.1", "tags": ["a", "b"]}\n',
    ),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def _send(self, code: int, ctype: str, body: bytes, head: bool = False) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_GET(self, head: bool = False) -> None:  # noqa: N802 - stdlib name
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/hello.txt")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path in PAGES:
            self._send(200, *PAGES[self.path], head=head)
        else:
            self._send(404, "text/plain", b"not found\n", head=head)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET(head=True)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode(errors="replace")
        if self.path != "/echo":
            self._send(404, "text/plain", b"not found\n")
            return
        reply = {"method": "POST", "content_type": self.headers.get("Content-Type"), "body": body}
        try:
            reply["json"] = json.loads(body)
        except ValueError:
            pass
        self._send(200, "application/json", (json.dumps(reply, sort_keys=True) + "\n").encode())


def start() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
