#!/usr/bin/env python3
"""Measure the proposal as a conversation on a real pty, with a KV snapshot present:

    python bench/conversation.py [--model PATH_OR_ID] [--runs N] [--prompt TEXT]

(f) time until the streamed command is on screen (the `[…]` preview) against the time until
    the whole reply has arrived, both from the start of the model request and from the start
    of the invocation;
(g) a revision (`r`, feedback, the new guarded proposal on screen) on the warm server, against
    a fresh invocation to the same prompt.
Medians over N runs. Prints a Markdown table. (bench/bench.py --conversation runs this too.)
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "tests"))

from ptydriver import Pty  # noqa: E402  (the one pty driver, shared with the tests)

from intent.llamacpp import find as runtime  # noqa: E402
from intent.models import catalog as models  # noqa: E402
from intent.settings import paths  # noqa: E402
from intent.settings.config import Config  # noqa: E402

PROMPT_END = "[n] cancel: "
CALL = re.compile(r"model call \d+: [^\r\n]*")
TIMING_KEYS = ("prompt_n", "cache_n", "prompt_ms", "predicted_n", "predicted_ms")


def timings(line: str) -> dict[str, float]:
    """The `key=value` figures of one `-v` "model call" line."""
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line) if k in TIMING_KEYS}


class Conversation(Pty):
    """`i` on a pty (the tests' one driver), timed: each wait returns the seconds since start."""

    def at(self, text: str, after: int | None = None, timeout: float = 600) -> float:
        self.expect(text, timeout=timeout, after=after)
        return self.elapsed()

    def finish(self, keys: str = "n\r") -> None:
        self.send(keys)
        self.wait(timeout=60)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--model", default=None, help="catalog id or .gguf path (default: the configured model)"
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--prompt", default="find files larger than 100MB under my home")
    ap.add_argument("--feedback", default="only in the Downloads folder")
    ap.add_argument("--snapshot-prompt", default="show disk usage of this folder")
    args = ap.parse_args()

    user = paths.resolve()
    cfg = Config(user.config_file)
    model = models.resolve(user, args.model or cfg.get("model"), "bench")
    model_file = models.require_file(model)
    server = runtime.require(runtime.SERVER, user, cfg).path
    work = Path(tempfile.mkdtemp(prefix="intent-bench-conv-"))
    env = {
        **os.environ,
        # this checkout's code, whatever `intent` the venv has installed
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "INTENT_LLAMA_SERVER": str(server),
        "INTENT_MODEL": str(model_file),
        "INTENT_HOME": str(work / "home"),
        "TERM": "xterm",
        "COLUMNS": "200",
    }
    i = [sys.executable, "-m", "intent"]
    print(f"model {model.id}, runs={args.runs}, cpus={os.cpu_count()}", file=sys.stderr)
    # a shared, loaded machine can take minutes per reply: time it, do not time it out
    for key in ("request_timeout", "startup_timeout"):
        subprocess.run([*i, "config", "set", key, "1200"], env=env, check=True, capture_output=True)
    # not measured: one invocation saves the KV snapshot of the system prompt
    subprocess.run(
        [*i, "--dry", "--no-cache", args.snapshot_prompt],
        env=env,
        cwd=work,
        capture_output=True,
        timeout=600,
        check=False,
    )
    rows: dict[str, list[float]] = {
        k: [] for k in ("cmd_req", "full_req", "cmd", "full", "fresh", "revise")
    }
    # where the model's time goes, from `-v`: tokens read (prompt_n) and their ms, tokens
    # decoded and their ms, for the first reply and for the revision
    calls: dict[str, list[dict[str, float]]] = {"first": [], "revision": []}
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs}", file=sys.stderr)
        t = Conversation([*i, "-v", "--no-cache", args.prompt], cwd=work, env=env)
        on_screen = t.at("[…]")
        complete = t.at("model call 1: ")
        t.at(" ms ", after=t.seen.index("model call 1: "))
        call_ms = float(re.search(r"model call 1: (\d+) ms", t.seen).group(1))  # type: ignore[union-attr]
        at_prompt = t.at(PROMPT_END)
        request_start = complete - call_ms / 1000  # -v prints right after the reply completes
        rows["cmd_req"].append(on_screen - request_start)
        rows["full_req"].append(call_ms / 1000)
        rows["cmd"].append(on_screen)
        rows["full"].append(complete)
        rows["fresh"].append(at_prompt)
        mark = len(t.seen)
        os.write(t.master, b"r\r")
        t.at("what should change? ", after=mark)
        mark = len(t.seen)
        sent = time.perf_counter()
        os.write(t.master, f"{args.feedback}\r".encode())
        t.at(PROMPT_END, after=mark)
        rows["revise"].append(time.perf_counter() - sent)
        t.finish()
        found = [timings(line) for line in CALL.findall(t.seen)]
        if len(found) >= 2:
            calls["first"].append(found[0])
            calls["revision"].append(found[-1])
        # each run as it ends: on a loaded machine the whole bench can outlast its caller
        print(
            f"  run {run + 1}: " + ", ".join(f"{k}={v[-1]:.2f}" for k, v in rows.items()),
            file=sys.stderr,
            flush=True,
        )
    m = {k: statistics.median(v) for k, v in rows.items()}
    print("\n| measure | median (s) | note |\n|---|---|---|")
    print(
        f"| (f) command on screen, from the model request | {m['cmd_req']:.2f} | "
        f"{m['cmd_req'] / m['full_req']:.2f}x of the full reply |"
    )
    print(f"| (f) full reply, from the model request | {m['full_req']:.2f} | |")
    print(
        f"| (f) command on screen, from the start of `i` | {m['cmd']:.2f} | "
        f"{m['cmd'] / m['full']:.2f}x of the full reply ({m['full']:.2f}) |"
    )
    print(
        f"| (g) revision on the warm server (feedback to new proposal) | {m['revise']:.2f} | "
        f"{m['revise'] / m['fresh']:.2f}x of a fresh invocation to the prompt ({m['fresh']:.2f}) |"
    )
    for which, seen in calls.items():
        if seen:
            med = {k: statistics.median(c.get(k, 0) for c in seen) for k in TIMING_KEYS}
            print(
                f"| model time, {which} reply | {med['prompt_ms'] / 1000 + med['predicted_ms'] / 1000:.2f} | "
                f"read {med['prompt_n']:.0f} tokens in {med['prompt_ms'] / 1000:.2f} s "
                f"({med['cache_n']:.0f} reused), decoded {med['predicted_n']:.0f} in "
                f"{med['predicted_ms'] / 1000:.2f} s |"
            )
    print(f"\nall runs: {rows}\nmodel calls: {calls}", file=sys.stderr)


if __name__ == "__main__":
    main()
