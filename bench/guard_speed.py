#!/usr/bin/env python3
"""Measure the guard's speed: the median time to assess a 2,000-row table, and per command.

    python bench/guard_speed.py [--runs N] [--before DIR]

The table is the adversarial, ordinary, ratings and round-3 tables plus disguised refusals (each
refused core through every wrapper and shell form), cycled to 2,000 rows. SPEC §12 asks for
< 2 s. With `--before DIR` (a checkout of an earlier commit, e.g. `git worktree add DIR BASE`)
the same rows are timed against both trees in one run, each in its own interpreter, so the
before/after figures share the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess  # noqa: S404 - a benchmark starts the two interpreters it compares
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_WORKER = """
import json, statistics, sys, time
from intent.safety import assess
rows = json.load(open(sys.argv[1]))
runs = int(sys.argv[2])
totals = []
for _ in range(runs):
    start = time.perf_counter()
    for row in rows:
        assess(row)
    totals.append(time.perf_counter() - start)
print(json.dumps(totals))
"""


def table(size: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "tests" / "guard"))
    from guard_cases import ALL_TRANSFORMS, REFUSED_CORES
    from round3_cases import FAMILIES, ORDINARY_ROUND3
    from test_guard_adversarial import TABLE as ADVERSARIAL
    from test_guard_ordinary import ORDINARY
    from test_safety_table import TABLE as RATINGS

    rows = [c for c, _ in ADVERSARIAL] + ORDINARY + [c for c, _ in RATINGS]
    rows += [t(core) or core for core in REFUSED_CORES for t in ALL_TRANSFORMS]
    rows += [c for family in FAMILIES.values() for c, _, _ in family] + ORDINARY_ROUND3
    return (rows * (size // len(rows) + 1))[:size]


def measure(tree: Path, rows_file: str, runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(  # noqa: S603 - argv of this interpreter and a fixed program
        [sys.executable, "-c", _WORKER, rows_file, str(runs)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(t) for t in json.loads(out.stdout)]


def line(label: str, totals: list[float], rows: int) -> str:
    median = statistics.median(totals)
    return (
        f"| {label} | {median:.3f} s for {rows:,} rows | {median / rows * 1e6:.0f} µs per command"
        f" | min {min(totals):.3f}, max {max(totals):.3f} over {len(totals)} runs |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="an earlier checkout to compare against")
    args = parser.parse_args()
    rows = table(2000)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(rows, fh)
    try:
        trees = [("before", args.before)] if args.before else []
        trees.append(("after" if args.before else "guard", ROOT))
        results = {label: measure(tree, fh.name, args.runs) for label, tree in trees}
    finally:
        Path(fh.name).unlink()
    for label, totals in results.items():
        print(line(label, totals, len(rows)))


if __name__ == "__main__":
    main()
