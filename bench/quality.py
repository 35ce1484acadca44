#!/usr/bin/env python3
"""Answer quality on a handful of prompts: does the model propose the expected utility?

    python bench/quality.py [--model ID_OR_PATH]

Runs `i --dry --json --no-cache` for each prompt (one fresh process each, as a user would) and
checks the proposed command against a pattern. Used to compare system prompts before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

CASES = [
    ("find files larger than 100MB under my home", r"\bfind\b.*-size \+100M"),
    ("find large files", r"\b(find|du)\b"),
    ("show disk usage of this folder", r"\bdu\b"),
    ("which process is listening on port 8080", r"\b(lsof|ss|netstat|fuser)\b.*8080"),
    ("extract archive.tar.gz into /tmp/out", r"\btar\b.*x.*archive\.tar\.gz.*/tmp/out"),
    ("count lines in all python files here", r"\bwc\b.*-l|\bxargs wc"),
    ("search for TODO in this project", r"\b(grep|rg)\b.*TODO"),
    ("show the last 20 lines of app.log", r"\btail\b.*(-n ?20|-20).*app\.log"),
    ("delete all .pyc files below here", r"\bfind\b.*\.pyc.*(-delete|rm)"),
    ("show my current git branch", r"\bgit\b.*(branch|rev-parse|status)"),
    ("how much free memory do I have", r"\bfree\b|/proc/meminfo|vm_stat"),
    ("list the 5 biggest files in this directory", r"\b(du|ls|find)\b.*(sort|-S)"),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="intent-quality-")
    env = {**os.environ, "INTENT_HOME": home, "NO_COLOR": "1"}
    for key in ("INTENT_LLAMA_SERVER", "INTENT_LLAMA_COMPLETION"):
        env.pop(key, None)
    if args.model:
        env["INTENT_MODEL"] = args.model
    from intent.llamacpp import find as runtime
    from intent.settings import paths
    from intent.settings.config import Config

    user = paths.resolve({k: v for k, v in os.environ.items() if k != "INTENT_HOME"})
    env["INTENT_LLAMA_SERVER"] = str(
        runtime.require(runtime.SERVER, user, Config(user.config_file)).path
    )
    if not args.model:
        env["INTENT_MODEL"] = str(user.models_dir / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    passed = 0
    total_s = 0.0
    for request, pattern in CASES:
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "intent", "--dry", "--json", "--no-cache", request],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        total_s += time.perf_counter() - started
        try:
            response = json.loads(proc.stdout)["response"] or {}
        except (ValueError, KeyError):
            response = {}
        command = response.get("command") or json.dumps(response)
        ok = bool(re.search(pattern, command))
        passed += ok
        print(f"{'PASS' if ok else 'FAIL'}  {request!r:50} -> {command}")
    print(
        f"\n{passed}/{len(CASES)} as expected; {total_s / len(CASES):.1f}s per request (snapshot after the first)"
    )


if __name__ == "__main__":
    main()
