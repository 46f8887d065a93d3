"""Benchmarks: `python bench/run.py` (or `make bench`) writes bench/RESULTS.md."""
