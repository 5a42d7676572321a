"""Run every benchmark, print one table and merge the figures into bench/results.json.

    make bench            # full sizes (10k-doc pushes, 50k growth, 1,000 shops)
    make bench QUICK=1    # smaller sizes, a few minutes

Entries are {name, value, unit, target, ok} (plus `note`: how it was measured, or why a target
was missed, and `engine` for the figures measured on both engines), merged by name with what
other scripts wrote (bench/bench_history.py's format). The login, shops, sync and VDU benchmarks
run in this process: in the full run each on a server of its own; with QUICK (and BENCH_SMOKE)
all on one embedded server and services app, login first (its owners are the first shops of
bench_shops); sync and VDU also start an Apache CouchDB node when a build is found. The other
`bench/bench_*.py` scripts run as subprocesses in the full run only (QUICK keeps their last
figures in results.json). The run's wall time is an entry too (`bench_quick_wall_time` /
`bench_full_wall_time`, with the load average). BENCH_SMOKE=1 runs the in-process benchmarks on a
few docs (the smoke test); BENCH_RESULTS moves the results file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results.json"))
OURS = ("bench_login", "bench_shops", "bench_sync", "bench_vdu")
QUICK_TARGET_S = 180


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


def load() -> float:
    return os.getloadavg()[0]


def main() -> int:
    from bench.fixtures import entry, shared_bench

    quick, smoke = os.environ.get("QUICK") == "1", os.environ.get("BENCH_SMOKE") == "1"
    began, loads = time.monotonic(), [load()]
    fresh: list[dict[str, Any]] = []
    parts: list[str] = []
    with ExitStack() as stack:
        shared = None
        if quick or smoke:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench_quick_")))
            shared = stack.enter_context(shared_bench(tmp))
        for name in OURS:
            module = __import__(f"bench.{name}", fromlist=["main"])
            print(f"== {name} (load {load():.1f})", flush=True)
            part_began = time.monotonic()
            results = module.main(shared)
            parts.append(f"{name} {time.monotonic() - part_began:.0f} s")
            loads.append(load())
            merge(results)
            fresh += results
            print(table(results), flush=True)
            print(f"({parts[-1]}, load {loads[-1]:.1f})", flush=True)
    if not (quick or smoke):
        for script in sorted((ROOT / "bench").glob("bench_*.py")):
            if script.stem not in OURS:
                print(f"== {script.stem}", flush=True)
                code = subprocess.call([sys.executable, str(script)], cwd=ROOT)
                if code:
                    print(f"{script.stem} failed (exit {code}); its old figures are kept")
    took = time.monotonic() - began
    note = (
        f"indicative: {'; '.join(parts)}; load average (1 min) {min(loads):.1f}..{max(loads):.1f} on the 2-core machine"
    )
    if not smoke:
        wall = (
            entry("bench_quick_wall_time", took, "s", QUICK_TARGET_S, took <= QUICK_TARGET_S, note)
            if quick
            else entry("bench_full_wall_time", took, "s", note=note)
        )
        merge([wall])
        fresh.append(wall)
    everything = json.loads(RESULTS.read_text())
    names = {r["name"] for r in fresh}
    print(f"\n== all results ({took:.0f} s; entries not measured in this run are marked *)\n")
    print(table([r if r["name"] in names else {**r, "name": "*" + r["name"]} for r in everything]))
    missed = [r["name"] for r in fresh if r["ok"] is False]
    if missed:
        print(f"\ntargets missed in this run: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
