"""Benchmarks: `python -m bench.run` runs them and writes bench/results.json; `python -m bench.report`
turns it into docs/benchmarks.md."""
