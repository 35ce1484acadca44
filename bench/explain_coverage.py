#!/usr/bin/env python3
"""Share of flags in tests/data/explain_commands.txt that `i explain` documents from local pages.

python bench/explain_coverage.py [-v]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intent.explain.walk import coverage, explain  # noqa: E402


def main() -> None:
    verbose = "-v" in sys.argv
    lines = (ROOT / "tests" / "data" / "explain_commands.txt").read_text().splitlines()
    commands = [c for c in lines if c.strip() and not c.startswith("#")]
    documented = total = 0
    for command in commands:
        result = explain(command, cache_dir=None)
        got, n = coverage(result)
        documented += got
        total += n
        if verbose or got < n:
            missing = [
                it["token"]
                for p in result["parts"]
                for it in p["items"]
                if it["kind"] == "flag" and not it["doc"]
            ]
            print(f"{got}/{n}  {command}" + (f"   missing: {' '.join(missing)}" if missing else ""))
    print(
        f"\n{len(commands)} commands, {total} flags, {documented} with a documentation excerpt: "
        f"{documented / total:.1%}"
    )


if __name__ == "__main__":
    main()
