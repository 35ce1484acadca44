#!/usr/bin/env python3
"""Measure the guard's speed: the median time to assess a 2,000-row table.

    python bench/guard_speed.py [--runs N]

The table is the adversarial, ordinary and ratings tables plus disguised refusals (each refused
core through every wrapper and shell form), cycled to 2,000 rows. SPEC §12 asks for < 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from guard_cases import ALL_TRANSFORMS, REFUSED_CORES  # noqa: E402
from test_guard_adversarial import TABLE as ADVERSARIAL  # noqa: E402
from test_guard_ordinary import ORDINARY  # noqa: E402
from test_safety_table import TABLE as RATINGS  # noqa: E402

from intent.safety import assess  # noqa: E402


def table(size: int) -> list[str]:
    rows = [c for c, _ in ADVERSARIAL] + ORDINARY + [c for c, _ in RATINGS]
    rows += [t(core) or core for core in REFUSED_CORES for t in ALL_TRANSFORMS]
    return (rows * (size // len(rows) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = table(2000)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        for row in rows:
            assess(row)
        times.append(time.perf_counter() - start)
    print(
        f"| guard, 2,000-row table | median {statistics.median(times):.3f} s "
        f"over {args.runs} runs (min {min(times):.3f}, max {max(times):.3f}) |"
    )


if __name__ == "__main__":
    main()
