"""Run every benchmark, print one table and merge the figures into bench/results.json.

    make bench            # full sizes (10k-doc pushes, 50k growth, 1,000 shops)
    make bench QUICK=1    # smaller sizes, under 3 minutes

Entries are {name, value, unit, target, ok} (plus `note`: how it was measured, or why a target
was missed), merged by name with what other scripts wrote (bench/bench_history.py's format).
Issue 9's own benchmarks run in this process; the other `bench/bench_*.py` scripts run as
subprocesses in the full run only (QUICK shows their last figures from results.json).
BENCH_SMOKE=1 runs issue 9's benchmarks on a few docs (the smoke test); BENCH_RESULTS moves the
results file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results.json"))
OURS = ("bench_sync", "bench_login", "bench_shops")


def merge(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge `results` by name into RESULTS; return everything it now holds."""
    merged = {r["name"]: r for r in json.loads(RESULTS.read_text())} if RESULTS.exists() else {}
    merged.update({r["name"]: r for r in results})
    RESULTS.write_text(json.dumps(list(merged.values()), indent=2, ensure_ascii=False) + "\n")
    return list(merged.values())


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'name':<46} {'value':>10} {'unit':<7} {'target':>7}  ok   note"]
    for r in rows:
        value = "" if r["value"] is None else f"{r['value']:g}"
        target = "" if r["target"] is None else f"{r['target']:g}"
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        lines.append(f"{r['name']:<46} {value:>10} {r['unit']:<7} {target:>7}  {ok:<4} {r.get('note', '')}")
    return "\n".join(lines)


def report(results: list[dict[str, Any]]) -> None:
    """Merge `results` into the results file and print them."""
    merge(results)
    print(table(results))


def main() -> int:
    quick, smoke = os.environ.get("QUICK") == "1", os.environ.get("BENCH_SMOKE") == "1"
    began = time.monotonic()
    fresh: list[dict[str, Any]] = []
    for name in OURS:
        module = __import__(f"bench.{name}", fromlist=["main"])
        print(f"== {name}", flush=True)
        results = module.main()
        merge(results)
        fresh += results
        print(table(results), flush=True)
    if not (quick or smoke):
        for script in sorted((ROOT / "bench").glob("bench_*.py")):
            if script.stem not in OURS:
                print(f"== {script.stem}", flush=True)
                code = subprocess.call([sys.executable, str(script)], cwd=ROOT)
                if code:
                    print(f"{script.stem} failed (exit {code}); its old figures are kept")
    everything = json.loads(RESULTS.read_text())
    names = {r["name"] for r in fresh}
    print(f"\n== all results ({time.monotonic() - began:.0f} s; entries not measured in this run "
          f"are marked *)\n")
    print(table([r if r["name"] in names else {**r, "name": "*" + r["name"]} for r in everything]))
    missed = [r["name"] for r in fresh if r["ok"] is False]
    if missed:
        print(f"\ntargets missed in this run: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
