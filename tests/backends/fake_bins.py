"""Stand-ins for llama.cpp binaries, written as small Python scripts: a llama-server that loads
slowly, answers and streams one reply (or crashes at start), and a llama-completion that prints
one reply. Each appends its argv to a log so a test can see whether it ran."""

from __future__ import annotations

import json
import sys
from pathlib import Path

SERVER = r"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
LOG, REPLY, LOAD_S, CRASH = {log!r}, {reply!r}, {load_s!r}, {crash!r}
argv = sys.argv[1:]
if argv[:1] == ["--version"]:
    print("version: 9999 (fake)"); sys.exit(0)
if argv[:1] == ["--help"]:
    print("--no-webui  --api-key  -np  -c"); sys.exit(0)
with open(LOG, "a") as fh:
    fh.write(json.dumps(argv) + "\n")
if CRASH:
    print("error: " + CRASH, file=sys.stderr, flush=True); sys.exit(1)
port = int(argv[argv.index("--port") + 1])
ready_at = time.monotonic() + LOAD_S

class H(BaseHTTPRequestHandler):
    def _send(self, status, body, kind="application/json"):
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path == "/health":
            if time.monotonic() < ready_at:
                return self._send(503, b'{{"error": {{"message": "Loading model"}}}}')
            return self._send(200, b'{{"status": "ok"}}')
        self._send(404, b"{{}}")
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        text = json.dumps(REPLY)
        chunks = [text[:12], text[12:]]
        body = b"".join(
            b"data: " + json.dumps({{"choices": [{{"delta": {{"content": c}}}}]}}).encode() + b"\n\n"
            for c in chunks
        ) + b"data: [DONE]\n\n"
        self._send(200, body, "text/event-stream")
    def log_message(self, *a):
        pass

ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
"""

COMPLETION = r"""
import json, sys
LOG, REPLY = {log!r}, {reply!r}
argv = sys.argv[1:]
if argv[:1] == ["--version"]:
    print("version: 9999 (fake)"); sys.exit(0)
if argv[:1] == ["--help"]:
    print("-st -sys -p -n --grammar -j --no-display-prompt"); sys.exit(0)
with open(LOG, "a") as fh:
    fh.write(json.dumps(argv[:1]) + "\n")
print(json.dumps(REPLY))
"""


def _write(path: Path, body: str) -> Path:
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(0o755)
    return path


def fake_server(
    where: Path, reply: dict, *, load_s: float = 0.0, crash: str = ""
) -> tuple[Path, Path]:
    """(the binary, its log of starts)."""
    where.mkdir(parents=True, exist_ok=True)
    log = where / "llama-server.starts"
    src = SERVER.format(log=str(log), reply=reply, load_s=load_s, crash=crash)
    return _write(where / "llama-server", src), log


def fake_completion(where: Path, reply: dict) -> tuple[Path, Path]:
    where.mkdir(parents=True, exist_ok=True)
    log = where / "llama-completion.runs"
    src = COMPLETION.format(log=str(log), reply=reply)
    return _write(where / "llama-completion", src), log


def fake_model(where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    model = where / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 64)
    return model


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def dumps(obj: object) -> str:
    return json.dumps(obj)
