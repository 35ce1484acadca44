"""Benchmarks (run as scripts; see docs/quality.md and bench/bench.py)."""
