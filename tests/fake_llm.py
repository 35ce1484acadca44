"""Fake LLM servers for the remote backends: SSE replies for httpx.MockTransport, and a small
loopback HTTP server that speaks enough Ollama and OpenAI for a real `i` process."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


def sse(*pieces: str, timings: dict | None = None) -> bytes:
    """A streamed chat reply: one delta per piece, then [DONE]."""
    out = b""
    for piece in pieces:
        chunk: dict[str, Any] = {"choices": [{"delta": {"content": piece}}]}
        out += b"data: " + json.dumps(chunk).encode() + b"\n\n"
    if timings:
        out += b"data: " + json.dumps({"choices": [], "timings": timings}).encode() + b"\n\n"
    return out + b"data: [DONE]\n\n"


def streamed(*pieces: str, **kw: Any) -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=sse(*pieces, **kw)
    )


Route = Callable[[str, str, dict], tuple[int, dict[str, str], bytes]]


class FakeServer:
    """A loopback HTTP server; `route(method, path, body) -> (status, headers, body)`.
    Every request is recorded in `seen` as (method, path, body)."""

    def __init__(self, route: Route) -> None:
        self.seen: list[tuple[str, str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else {}
                outer.seen.append((self.command, self.path, body))
                status, headers, payload = route(self.command, self.path, body)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def ollama_route(models: list[str], reply: dict) -> Route:
    """Ollama as `i` sees it: /api/tags lists `models`; chat answers `reply`, streamed."""

    def route(method: str, path: str, body: dict) -> tuple[int, dict[str, str], bytes]:
        if path == "/api/tags":
            tags = [
                {"name": m, "size": 986_000_000, "details": {"parameter_size": "1.5B"}}
                for m in models
            ]
            return 200, {"content-type": "application/json"}, json.dumps({"models": tags}).encode()
        if path == "/v1/models":
            data = [{"id": m, "object": "model"} for m in models]
            return 200, {"content-type": "application/json"}, json.dumps({"data": data}).encode()
        if path == "/v1/chat/completions" and method == "POST":
            if body.get("model") not in models:
                msg = {"error": {"message": f'model "{body.get("model")}" not found'}}
                return 404, {"content-type": "application/json"}, json.dumps(msg).encode()
            text = json.dumps(reply)
            return 200, {"content-type": "text/event-stream"}, sse(text[:10], text[10:])
        return 404, {"content-type": "text/plain"}, b"404 page not found"

    return route
