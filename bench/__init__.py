"""Benchmarks (issue 9 and issue 7): `python -m bench.run` runs them and writes bench/results.json."""
