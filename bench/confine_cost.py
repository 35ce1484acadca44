#!/usr/bin/env python3
"""What the confinement costs a command that runs unasked: the same commands run the way `i`
runs them (`bash -c` through `process.run_user_command`, stdout to /dev/null), confined and
unconfined, interleaved, medians. Target: at most 30 ms added.

    python bench/confine_cost.py [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intent import confine, process  # noqa: E402

COMMANDS = {
    "ls": "ls -la",
    "pipeline": "ps aux | grep -v grep | sort -k3 -nr | head -5",
}


def once(command: str, cwd: Path, confined: bool) -> float:
    argv = ["bash", "-c", command + " >/dev/null"]
    started = time.perf_counter()
    if confined:
        with confine.read_only(argv, cwd) as view:
            process.run_user_command(view.argv, timeout=30, cwd=cwd, pass_fds=view.fds)
    else:
        process.run_user_command(argv, timeout=30, cwd=cwd)
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    st = confine.status()
    if not st.works:
        print(f"no confinement here: {st.reason}", file=sys.stderr)
        return 1
    cwd = Path(tempfile.mkdtemp(prefix="confine-bench-", dir="/var/tmp"))  # noqa: S108
    for n in range(40):
        (cwd / f"f{n}.txt").write_text("x" * n)
    results = {}
    for name, command in COMMANDS.items():
        times: dict[bool, list[float]] = {True: [], False: []}
        once(command, cwd, True)  # warm: the status probe and the page cache
        once(command, cwd, False)
        for _ in range(args.runs):
            for confined in (False, True):
                times[confined].append(once(command, cwd, confined))
        plain, boxed = statistics.median(times[False]), statistics.median(times[True])
        results[name] = {
            "command": command,
            "unconfined_ms": round(plain, 1),
            "confined_ms": round(boxed, 1),
            "added_ms": round(boxed - plain, 1),
            "runs": args.runs,
        }
        print(
            f"{name:9} unconfined {plain:6.1f} ms  confined {boxed:6.1f} ms  "
            f"added {boxed - plain:5.1f} ms  (median of {args.runs}; {command})"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"tool": st.reason, "cpus": os.cpu_count(), "results": results}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
