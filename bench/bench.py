#!/usr/bin/env python3
"""Measure intent's speed on this machine, all in one run so the ratios are fair.

    python bench/bench.py [--model PATH_OR_ID] [--runs N] [--prompt TEXT]

(a) raw llama-server start + one request by hand (the floor)
(b) `i --dry` cold: fresh process, no snapshot
(c) `i --dry` with a KV snapshot saved by an earlier invocation
(d) a 3-step tool turn (two real tool calls, then the answer): the request-scoped server
    versus the one-shot binary per step
(e) CLI overhead = (b) - (a)
plus `i --version` against `python -c pass`, and the system prompt's token count.
Medians over N runs. Prints a Markdown table. `--conversation` instead runs
bench/conversation.py: (f) the streamed command on screen vs the full reply on a real pty, and
(g) an `r` revision on the warm server vs a fresh invocation.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intent.app import wiring  # noqa: E402
from intent.backends.llama_server import LlamaServer, ServerOptions, free_port  # noqa: E402
from intent.backends.one_shot import OneShot  # noqa: E402
from intent.errors import IntentError  # noqa: E402
from intent.llamacpp import find as runtime  # noqa: E402
from intent.models import catalog as models  # noqa: E402
from intent.reply import schema  # noqa: E402
from intent.reply.grammar import constraint  # noqa: E402
from intent.settings import paths  # noqa: E402
from intent.settings.config import Config  # noqa: E402
from intent.turn import prompt, tools  # noqa: E402
from intent.turn.engine import Engine  # noqa: E402


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def i_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "intent", *args]


def timed(
    argv: list[str], env: dict[str, str], cwd: Path
) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    return time.perf_counter() - started, proc


def model_work_s(source: str | dict) -> float:
    """Prefill + decode seconds, from the server's timings or from a `-v` model-call line."""
    if isinstance(source, dict):
        return (source["prompt_ms"] + source["predicted_ms"]) / 1000
    total = 0.0
    for line in source.splitlines():
        if line.startswith("model call"):
            fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
            total += (float(fields["prompt_ms"]) + float(fields["predicted_ms"])) / 1000
    return total


def raw_floor(
    server: Path, model: Path, request: str, cwd: Path, ctx: int, load_args: list[str]
) -> tuple[float, dict]:
    """Start llama-server by hand with the flags `i` uses, wait for /health, send the same
    request with the same grammar, stop it. Returns the seconds and the server's timings."""
    key = secrets.token_urlsafe(16)
    started = time.perf_counter()
    port = free_port()
    proc = subprocess.Popen(
        [
            str(server),
            "-m",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "-c",
            str(ctx),
            "-np",
            "1",
            "--api-key",
            key,
            "--no-webui",
            *load_args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        client = httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {key}"},
            timeout=600,
        )
        while True:
            try:
                if client.get("/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        messages = [
            {"role": "system", "content": prompt.system_message()},
            {"role": "user", "content": prompt.user_message(request, prompt.gather(cwd))},
        ]
        reply = client.post(
            "/v1/chat/completions",
            json={
                "messages": messages,
                "cache_prompt": True,
                "temperature": 0.0,
                "max_tokens": 384,
                **constraint(schema.RESPONSE_SCHEMA),
            },
        )
    finally:
        proc.terminate()
        proc.wait()
    return time.perf_counter() - started, reply.json()["timings"]


class ForcedTools:
    """Real model calls, every turn 3 steps: the first two calls may only use the schema's
    tool-call branch and the third only the others, so the model decodes two real tool calls
    (which run) and then its answer."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.n = 0

    def complete(self, messages, schema_, *, max_tokens, discourage_repeats=False):
        self.n += 1
        tool = [b for b in schema_["oneOf"] if "tool_call" in b["properties"]]
        if self.n <= 2:
            schema_ = tool[0]
        else:
            schema_ = {"oneOf": [b for b in schema_["oneOf"] if b not in tool]}
        return self.inner.complete(
            messages, schema_, max_tokens=max_tokens, discourage_repeats=discourage_repeats
        )

    def close(self) -> None:
        self.inner.close()


def tool_turn(backend, cwd: Path) -> float:
    started = time.perf_counter()
    wrapped = ForcedTools(backend)
    try:
        gen = Engine(wrapped, tools.Toolbox(cwd), max_tool_steps=2, max_tokens=64).run(
            "list the files here", prompt.gather(cwd)
        )
        while True:
            next(gen)
    except StopIteration:
        pass
    except IntentError as exc:  # a tiny model may refuse or fail; the turn still took its time
        print(f"  tool turn on {backend.name}: {exc.message}", file=sys.stderr)
    finally:
        wrapped.close()
    return time.perf_counter() - started


def configured_server(env: dict[str, str], *, snapshots: bool):
    """llama-server exactly as `i` configures it for this INTENT_HOME (flags, snapshots)."""
    p = paths.resolve(env)
    cfg = Config(p.config_file)
    choice = wiring.resolve_backend("llama-server", p, cfg, env)
    return wiring.build_backend(choice, p, cfg, env, snapshots=snapshots)[0]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", default=None, help="catalog id or .gguf path (default: the configured model)"
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--prompt", default="find files larger than 100MB under my home")
    ap.add_argument(
        "--snapshot-prompt",
        default="show disk usage of this folder",
        help="the request of the invocation that saves the snapshot for (c)",
    )
    ap.add_argument("--skip-tools", action="store_true", help="skip (d), the slowest part")
    ap.add_argument(
        "--conversation", action="store_true", help="measure (f) and (g) instead (pty, snapshot)"
    )
    args = ap.parse_args()
    if args.conversation:
        forward = ["--runs", str(args.runs), "--prompt", args.prompt]
        forward += ["--model", args.model] if args.model else []
        script = str(Path(__file__).with_name("conversation.py"))
        sys.exit(subprocess.run([sys.executable, script, *forward], check=False).returncode)

    user_paths = paths.resolve()
    cfg = Config(user_paths.config_file)
    model = models.resolve(user_paths, args.model or cfg.get("model"), "bench")
    model_file = models.require_file(model)
    server = runtime.require(runtime.SERVER, user_paths, cfg).path
    load_args = runtime.probe(server, user_paths).load_args(repack=cfg.get("repack"))
    one_shot = runtime.find_one_shot(user_paths, cfg)
    one_shot_args = (
        runtime.probe(one_shot.path, user_paths).load_args(repack=cfg.get("repack"))
        if one_shot
        else []
    )
    ctx = cfg.get("ctx_size")
    work = Path(tempfile.mkdtemp(prefix="intent-bench-"))
    base_env = {
        **os.environ,
        # this checkout's code, whatever `intent` the venv has installed
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "INTENT_LLAMA_SERVER": str(server),
        "INTENT_MODEL": str(model_file),
        "NO_COLOR": "1",
    }
    if one_shot:
        base_env["INTENT_LLAMA_COMPLETION"] = str(one_shot.path)
    print(
        f"model {model.id} ({model_file.stat().st_size / 1e6:.0f} MB), runs={args.runs}, cpus={os.cpu_count()}",
        file=sys.stderr,
    )

    # system prompt size, measured by the model's own tokenizer
    with LlamaServer(ServerOptions(server, model_file, ctx_size=ctx), user_paths) as s:
        s.start()
        n_tokens = len(s.post("/tokenize", {"content": prompt.system_message()})["tokens"])

    # not measured: warm the page cache, and let `i` probe the binary once (as on any machine
    # after its first call); --no-snapshot keeps every (b) run cold
    raw_floor(server, model_file, args.prompt, work, ctx, load_args)
    cold_argv = i_cmd("-v", "--dry", "--json", "--no-cache", "--no-snapshot", args.prompt)
    cold_env = {**base_env, "INTENT_HOME": str(work / "cold")}
    timed(cold_argv, cold_env, work)
    rows: dict[str, list[float]] = {
        k: []
        for k in (
            "a",
            "b",
            "c",
            "d_server",
            "d_snap",
            "d_oneshot",
            "version",
            "pass",
            "e_inproc",
            "e_rest",
        )
    }
    cache_n: list[int] = []
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs}", file=sys.stderr)
        t_raw, raw_timings = raw_floor(server, model_file, args.prompt, work, ctx, load_args)
        rows["a"].append(t_raw)
        t, proc = timed(cold_argv, cold_env, work)
        if proc.returncode not in (0, 8):
            sys.exit(f"i --dry failed: {proc.stderr}")
        rows["b"].append(t)
        # the same invocation's own clock: everything but waiting for the model is CLI overhead
        rows["e_inproc"].append(t - json.loads(proc.stdout)["timings"]["model_ms"] / 1000)
        # (b) - (a) without the prefill and decode time, the same work in both but the noisiest
        rows["e_rest"].append((t - model_work_s(proc.stderr)) - (t_raw - model_work_s(raw_timings)))
        snap_home = work / "snap"
        if run == 0:  # one invocation with another request saves the snapshot
            timed(
                i_cmd("--dry", "--no-cache", args.snapshot_prompt),
                {**base_env, "INTENT_HOME": str(snap_home)},
                work,
            )
        t, proc = timed(
            i_cmd("-v", "--dry", "--no-cache", args.prompt),
            {**base_env, "INTENT_HOME": str(snap_home)},
            work,
        )
        rows["c"].append(t)
        for line in proc.stderr.splitlines():
            if "cache_n=" in line:
                cache_n.append(int(line.split("cache_n=")[1].split()[0]))
                break
        if not args.skip_tools:
            tools_env = {**base_env, "INTENT_HOME": str(work / "tools")}
            rows["d_server"].append(tool_turn(configured_server(tools_env, snapshots=False), work))
            snap_env = {**base_env, "INTENT_HOME": str(snap_home)}
            rows["d_snap"].append(tool_turn(configured_server(snap_env, snapshots=True), work))
            if one_shot:
                rows["d_oneshot"].append(
                    tool_turn(
                        OneShot(one_shot.path, model_file, ctx_size=ctx, load_args=one_shot_args),
                        work,
                    )
                )
    for _ in range(10):
        rows["version"].append(timed(i_cmd("--version"), base_env, work)[0])
        rows["pass"].append(timed([sys.executable, "-c", "pass"], base_env, work)[0])

    m = {k: median(v) for k, v in rows.items() if v}
    print("\n| measure | median (s) | note |\n|---|---|---|")
    print(f"| system prompt | {n_tokens} tokens | measured with /tokenize |")
    print(f"| (a) raw llama-server start + 1 request | {m['a']:.2f} | the floor |")
    print(f"| (b) `i --dry` cold, no snapshot | {m['b']:.2f} | |")
    print(
        f"| (c) `i --dry` with a KV snapshot | {m['c']:.2f} | {m['c'] / m['b']:.2f}x of (b); cache_n {cache_n} |"
    )
    if "d_oneshot" in m:
        print(f"| (d) 3-step tool turn, one-shot binary per step | {m['d_oneshot']:.2f} | |")
    if "d_server" in m and "d_oneshot" in m:
        print(
            f"| (d) 3-step tool turn, request-scoped server, no snapshot | {m['d_server']:.2f} | "
            f"{m['d_oneshot'] / m['d_server']:.2f}x faster than one-shot |"
        )
        print(
            f"| (d) 3-step tool turn, request-scoped server, KV snapshot (the default) | "
            f"{m['d_snap']:.2f} | {m['d_oneshot'] / m['d_snap']:.2f}x faster than one-shot |"
        )
    print(
        f"| (e) CLI overhead (b) - (a) | {m['b'] - m['a']:.2f} | {(m['b'] - m['a']) / m['a'] * 100:.1f}% of (a) |"
    )
    print(
        f"| (e') CLI overhead within (b): wall − time waiting for the model | {m['e_inproc']:.2f} | "
        f"{m['e_inproc'] / m['a'] * 100:.1f}% of (a); Python start, imports, context, shutdown |"
    )
    print(
        f"| (e'') (b) - (a) less the prefill and decode time of each | {m['e_rest']:.2f} | "
        f"{m['e_rest'] / m['a'] * 100:.1f}% of (a); the same model work, measured out of both |"
    )
    print(
        f"| `i --version` | {m['version'] * 1000:.0f} ms | {m['version'] / m['pass']:.2f}x `python -c pass` ({m['pass'] * 1000:.0f} ms) |"
    )


if __name__ == "__main__":
    main()
