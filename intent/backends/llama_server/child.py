"""The request-scoped llama-server child: its lifecycle (spawn, readiness, ownership, kill).

Started lazily on the first model call, owned by this invocation only (its own session, a
parent-death signal on Linux, a state file for stale-child cleanup), killed as a group when
the invocation ends. What goes over HTTP is in `client.py`.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intent import process
from intent.backends.base import DRY_LAST_N, DRY_MULTIPLIER, Completion, Unreachable
from intent.backends.llama_server import client
from intent.errors import BackendUnavailable
from intent.reply.grammar import constraint
from intent.settings.paths import Paths

SCRUB_PREFIXES = ("LLAMA_ARG_", "AIP_")
SCRUB_NAMES = ("LLAMA_API_KEY",)
BIND_ERRORS = ("couldn't bind", "address already in use", "failed to bind")

_LIVE: set[LlamaServer] = set()


def _close_all() -> None:
    for server in list(_LIVE):
        server.close()


atexit.register(_close_all)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scrubbed_env(env: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ) if env is None else dict(env)
    return {
        k: v for k, v in env.items() if not k.startswith(SCRUB_PREFIXES) and k not in SCRUB_NAMES
    }


def _cause(tail: str) -> str:
    """The most telling line of a failed start-up log."""
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    for needle in (
        "failed to load model",
        "couldn't bind",
        "address already in use",
        "error",
        "failed",
    ):
        for line in reversed(lines):
            if needle in line.lower():
                return line[:200]
    return lines[-1][:200] if lines else "no output"


def _model_at_fault(tail: str) -> bool:
    """The log blames the model file: the one-shot binary would load the same file and fail."""
    low = tail.lower()
    return "load model" in low or "gguf" in low or ("model" in low and "failed" in low)


def _fix_for(tail: str, paths: Paths) -> str:
    low = tail.lower()
    if _model_at_fault(tail):
        return "The model file looks corrupt or unsupported: run `i model pull ID --force` or `i doctor`."
    if any(m in low for m in BIND_ERRORS):
        return "A port was taken while starting; run the command again."
    return (
        f"Run `i doctor` (log: {paths.server_log}), or reinstall with `i runtime install --force`."
    )


def log_tail(path: Path, lines: int = 8) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 8192))
            text = fh.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class ServerOptions:
    binary: Path
    model: Path
    ctx_size: int = 4096
    threads: int = 0
    startup_timeout: float = 60
    request_timeout: float = 180
    extra_args: list[str] = field(default_factory=list)  # e.g. --swa-full, --slot-save-path
    flags: frozenset[str] = frozenset()  # what the binary's --help lists
    load_args: list[str] = field(default_factory=list)  # Probe.load_args(): a faster start


class LlamaServer:
    """One llama-server child for one invocation. `complete()` starts it on first use."""

    name = "llama-server"
    cacheable = True
    streams = True  # complete() reports the text as it arrives (on_text)

    def __init__(
        self,
        options: ServerOptions,
        paths: Paths,
        *,
        transport: Any = None,
        snapshots: Any = None,
        stage: Callable[[str], None] | None = None,
    ) -> None:
        self.options = options
        # what the wait is for, for the spinner ("" gives the spinner its own label back)
        self.stage = stage or (lambda _text: None)
        self.stage_ms: dict[str, float] = {}  # spawn_ms (to first answer), load_ms
        self.paths = paths
        self.transport = transport
        self.snapshots = snapshots  # snapshot.Snapshots or None
        self.proc: process.Popen[bytes] | None = None
        self.port = 0
        self.api_key = secrets.token_urlsafe(24)
        self.client: Any = None
        self.startup_ms = 0.0
        self.spawn_count = 0
        self.ready = False
        self._spawned_at = 0.0
        self.state_file: Path | None = None

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def argv(self, port: int) -> list[str]:
        o = self.options
        argv = [
            str(o.binary),
            "-m",
            str(o.model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "-c",
            str(o.ctx_size),
            "-np",
            "1",
            "--api-key",
            self.api_key,
        ]
        if o.threads:
            argv += ["-t", str(o.threads)]
        if "--no-webui" in o.flags:
            argv.append("--no-webui")
        return argv + o.load_args + list(o.extra_args)

    def prestart(self) -> None:
        """Spawn the child without waiting, so the model loads while `i` does other work."""
        if self.proc is None:
            cleanup_stale(self.paths)
            self._spawned_at = time.monotonic()
            log = self.paths.server_log
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_bytes(b"")
            self._spawn()

    def _spawn(self) -> None:
        self.port = free_port()
        self.proc = process.spawn_child(
            self.argv(self.port), log_path=self.paths.server_log, env=scrubbed_env()
        )
        self.spawn_count += 1
        _LIVE.add(self)
        self._write_state()
        import httpx  # ~0.1 s: imported while the model loads, not before

        self.client = httpx.Client(
            base_url=self.base_url,
            transport=self.transport,
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=httpx.Timeout(self.options.request_timeout, connect=2.0),
            verify=False,  # noqa: S501 -- plain HTTP on loopback: no CA store to load (~30 ms)
        )

    def start(self) -> None:
        """Spawn (unless prestarted) and wait until /health answers; retry a lost port race."""
        if self.ready:
            return
        self.prestart()
        for attempt in range(3):
            try:
                self._wait_ready(self._spawned_at)
                break
            except BackendUnavailable:
                self.stage("")  # whatever answers next, it is not this start
                log = self.paths.server_log
                bind_race = any(m in log_tail(log, 30).lower() for m in BIND_ERRORS)
                self.close()
                if not bind_race or attempt == 2:
                    raise
                log.write_bytes(b"")
                self._spawned_at = time.monotonic()
                self._spawn()
        self.ready = True
        self.startup_ms = (time.monotonic() - self._spawned_at) * 1000
        if self.snapshots is not None:
            try:
                self.snapshots.on_ready(self)
            except BackendUnavailable:
                # the restore took the child down: never again for this model, and start clean
                self.snapshots.record_failure("restoring the snapshot stopped llama-server")
                self.close()
                self.start()

    def _wait_ready(self, started: float) -> None:
        import httpx

        deadline = started + self.options.startup_timeout
        assert self.proc is not None
        self.stage("starting llama-server…")
        answered = False
        while True:
            code = self.proc.poll()
            if code is not None:
                tail = log_tail(self.paths.server_log, 30)
                message = f"llama-server exited during start-up (exit {code}): {_cause(tail)}."
                if _model_at_fault(tail):  # the next backend would load the same file
                    raise BackendUnavailable(message, hint=_fix_for(tail, self.paths), detail=tail)
                raise Unreachable(
                    message,
                    brief=f"exited at start, exit {code}",
                    hint=_fix_for(tail, self.paths),
                    detail=tail,
                )
            try:
                resp = self.client.get("/health", timeout=1.0)
                if not answered:
                    answered = True
                    self.stage_ms["spawn_ms"] = (time.monotonic() - started) * 1000
                    self.stage(f"loading the model {self.options.model.name}…")
                if resp.status_code == 200:
                    self.stage_ms["load_ms"] = (time.monotonic() - started) * 1000 - (
                        self.stage_ms["spawn_ms"]
                    )
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise Unreachable(
                    f"llama-server was not ready within {self.options.startup_timeout:.0f}s.",
                    brief=f"not ready in {self.options.startup_timeout:.0f} s",
                    hint="Raise `startup_timeout` (`i config set startup_timeout 120`) or run `i doctor`.",
                    detail=log_tail(self.paths.server_log, 30),
                )
            time.sleep(0.02)

    def _write_state(self) -> None:
        assert self.proc is not None
        self.state_file = self.paths.children_dir / f"{self.proc.pid}.json"
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(
            json.dumps(
                {
                    "pid": self.proc.pid,
                    "parent": os.getpid(),
                    "port": self.port,
                    "started": time.time(),
                    "binary": str(self.options.binary),
                }
            )
        )

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None
        if self.proc is not None:
            process.kill_group(self.proc, grace=2.0)
            self.proc = None
        self.ready = False
        if self.state_file is not None:
            self.state_file.unlink(missing_ok=True)
            self.state_file = None
        _LIVE.discard(self)

    def __enter__(self) -> LlamaServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests -----------------------------------------------------------------------

    def post(
        self, path: str, payload: dict[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        import httpx

        self.start()
        assert self.proc is not None
        try:
            resp = self.client.post(
                path, json=payload, timeout=timeout or self.options.request_timeout
            )
        except httpx.HTTPError as exc:
            raise self._failed(exc) from None
        if resp.status_code != 200:
            raise BackendUnavailable(
                f"llama-server answered HTTP {resp.status_code}: {resp.text[:300]}",
                hint="Run `i doctor`.",
            )
        body: dict[str, Any] = resp.json()  # llama-server's reply object; callers read it by key
        return body

    def stream_chat(
        self, payload: dict[str, Any], on_text: Callable[[str], None] | None = None
    ) -> tuple[str, dict[str, Any], bool]:
        """POST a streamed chat request: (text, timings, stopped because it looped)."""
        import httpx

        self.start()
        assert self.proc is not None
        self.stage("reading the prompt…")
        first = True

        def arrived(text: str) -> None:
            nonlocal first
            if first:
                first = False
                self.stage("")  # the answer is coming: the spinner's own label again
            if on_text is not None:
                on_text(text)

        try:
            return client.stream_chat(
                self.client, payload, timeout=self.options.request_timeout, on_text=arrived
            )
        except httpx.HTTPError as exc:
            raise self._failed(exc) from None
        finally:
            if first:
                self.stage("")

    def _failed(self, exc: Exception) -> BackendUnavailable:
        """A failed request, told the user's way (a dropped connection is usually a dying child)."""
        import httpx

        if isinstance(exc, httpx.TimeoutException):
            return BackendUnavailable(
                f"llama-server did not answer within {self.options.request_timeout:.0f}s.",
                hint="Raise `request_timeout`, or choose a smaller model (`i model list`).",
            )
        code = None
        if self.proc is not None:
            with contextlib.suppress(process.TimeoutExpired):
                code = self.proc.wait(timeout=1.0)
        what = f"crashed (exit {code})" if code is not None else f"failed ({type(exc).__name__})"
        return BackendUnavailable(
            f"llama-server {what} during the request.",
            hint=f"Run `i doctor`; log: {self.paths.server_log}",
            detail=log_tail(self.paths.server_log, 30),
        )

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        *,
        max_tokens: int,
        discourage_repeats: bool = False,
        on_text: Callable[[str], None] | None = None,
    ) -> Completion:
        payload = {
            "messages": messages,
            **constraint(schema),
            "cache_prompt": True,
            "temperature": 0.0,
            "max_tokens": max_tokens,
        }
        if discourage_repeats:
            payload |= {"dry_multiplier": DRY_MULTIPLIER, "dry_penalty_last_n": DRY_LAST_N}
        text, timings, looped = self.stream_chat(payload, on_text)
        timings = dict(timings)
        timings["startup_ms"] = self.startup_ms
        timings.update({k: round(v) for k, v in self.stage_ms.items()})
        if looped:
            timings["stopped"] = "repetition"
        if self.snapshots is not None:
            timings["snapshot_restored"] = self.snapshots.restored
            timings["snapshot_restore_ms"] = round(self.snapshots.restore_ms)
            if not looped:  # a cancelled task reports no timings to check
                self.snapshots.after_complete(self, timings)
        return Completion(text, timings)

    @property
    def notes(self) -> list[str]:
        return self.snapshots.notes if self.snapshots is not None else []


def cleanup_stale(paths: Paths, *, kill: bool = True) -> list[dict[str, Any]]:
    """Find llama-server children whose invocation is gone; kill them (unless told not to)."""
    stale: list[dict[str, Any]] = []
    if not paths.children_dir.exists():
        return stale
    for f in paths.children_dir.glob("*.json"):
        try:
            info = json.loads(f.read_text())
            pid, parent = int(info["pid"]), int(info["parent"])
        except (OSError, ValueError, KeyError, TypeError):
            f.unlink(missing_ok=True)
            continue
        if process.pid_alive(parent) and parent != os.getpid():
            continue  # its invocation is still running
        if parent == os.getpid() and any(s.proc and s.proc.pid == pid for s in _LIVE):
            continue
        alive = process.pid_alive(pid) and "llama-server" in process.process_cmdline(pid)
        if alive:
            stale.append(info)
            if kill:
                process.kill_pgid(pid, grace=1.0)
        if kill or not alive:
            f.unlink(missing_ok=True)
    return stale
