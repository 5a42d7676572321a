"""Customer history, a month's daily report and the services' memory.

Targets, on the embedded server, one business with 100,000 invoices across 5,000 customers:
customer history p95 <= 100 ms; a month's daily sales report <= 500 ms; RSS of the services
process <= 200 MB while serving them. Also measured (no target), the reasons for the design:
one month read with `_find` (what the report would cost without roll-ups), building the Mango
indexes after a bulk load, and the auditor's roll-up step.

    .venv/bin/python -m bench.bench_history          # full size
    QUICK=1 .venv/bin/python -m bench.bench_history  # 10,000 invoices across 500 customers
    BENCH_INVOICES=30000 BENCH_CUSTOMERS=1500 .venv/bin/python -m bench.bench_history

The shop is built once and cached on disk (bench/history_dataset.py; BENCH_CACHE, 400 MB at full
size), so a second run measures in ~4 minutes. Building the full size took 23 minutes on the
shared 2-core machine (load ~12): bulk load 206 s, roll-ups 45 s, Mango indexes 1,138 s.
Besides latencies, the CPU per request of the server and the services is recorded: unlike
latency, the load of other processes does not inflate it. To see where it goes, profile the
services with py-spy (`pip install -e '.[dev]'`; `py-spy record --pid <uvicorn pid>`) and the
server with the inspector (`node --cpu-prof`, or `inspector.Session` `Profiler.start` in a wrapper
that requires couchdb/embedded/server.js). A reduced run keeps the full size's densities: ~20 invoices per customer,
and the sales spread over 365 × invoices / 100,000 days (at least 31), so the month's report
reads as many invoices (~8,300) as at full size. Only the indexes are smaller.

Results are merged by name into bench/results.json as [{name, value, unit, target, ok}].
Not part of the test suite. The machine is shared: the 1-minute load average is recorded next
to the figures.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # bench/run.py runs this file as a script

from bench import history_dataset as dataset  # noqa: E402 - after the sys.path line
from shopbill.services.core.config import load_settings  # noqa: E402
from shopbill.services.couch import Couch  # noqa: E402
from shopbill.services.reporting.rollups import update_rollups  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
QUICK = os.environ.get("QUICK") == "1"
INVOICES = int(os.environ.get("BENCH_INVOICES") or (10_000 if QUICK else 100_000))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS") or INVOICES // 20)
HISTORY_SAMPLES = 200
REPORT_RUNS = 7
ROLLUP_SAMPLE = 2000  # changes replayed through the auditor's roll-up step


def timed(call: Any) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def result(name: str, value: float, unit: str, target: float | None, ok: bool | None, note: str | None = None) -> dict:
    row = {"name": name, "value": round(value, 1), "unit": unit, "target": target, "ok": ok}
    return {**row, "note": note} if note else row


def save(results: list[dict[str, Any]]) -> None:
    merged = {r["name"]: r for r in json.loads(RESULTS.read_text())} if RESULTS.exists() else {}
    merged.update({r["name"]: r for r in results})
    RESULTS.write_text(json.dumps(list(merged.values()), indent=2) + "\n")
    print(f"\n{'name':<44} {'value':>10} {'unit':<6} {'target':>8}  ok")
    for r in results:
        target = "" if r["target"] is None else f"{r['target']:g}"
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        print(f"{r['name']:<44} {r['value']:>10} {r['unit']:<6} {target:>8}  {ok:<3} {r.get('note', '')}")


def rollup_step_rate(server: Any, db: str) -> float:
    """Docs/s of the auditor's roll-up step replaying the first changes (they are rolled up
    already, so this is its reading and settling; writes are skipped as unchanged)."""

    async def go() -> float:
        couch = Couch(
            load_settings(
                {
                    "COUCHDB_URL": server.url,
                    "COUCHDB_TIMEOUT": "600",
                    "COUCHDB_ADMIN_USER": server.admin_user,
                    "COUCHDB_ADMIN_PASSWORD": server.admin_password,
                }
            )
        )
        try:
            body = (
                await couch.request(
                    "GET",
                    f"/{db}/_changes",
                    params={"include_docs": "true", "conflicts": "true", "limit": ROLLUP_SAMPLE},
                )
            ).json()
            docs = [r["doc"] for r in body["results"] if r.get("doc")]
            began = time.perf_counter()
            for i in range(0, len(docs), 200):
                await update_rollups(couch, db, docs[i : i + 200])
            return len(docs) / (time.perf_counter() - began)
        finally:
            await couch.aclose()

    return asyncio.run(go())


def cpu_ms(*pids: int) -> float:
    """CPU time (user + system) the processes `pids` have used so far, ms."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def measure(api: httpx.Client, owner: dict[str, Any], phones: list[str], pids: tuple[int, int]) -> dict[str, Any]:
    """History and month-report latencies (ms), their CPU per request in the server and the
    services (ms: what a machine to itself would wait, without the shared machine's queue),
    and the month's invoice count."""
    rng = random.Random(11)
    history_ms = []
    began_cpu = cpu_ms(*pids)
    for phone in rng.sample(phones, min(HISTORY_SAMPLES, len(phones))):
        began = time.perf_counter()
        r = api.get(f"/v1/customers/{phone}/history", headers=owner["headers"])
        history_ms.append((time.perf_counter() - began) * 1000)
        assert r.status_code == 200 and r.json()["visits"] > 0, r.text
    history_cpu = (cpu_ms(*pids) - began_cpu) / len(history_ms)
    month = {"from": "2026-10-24", "to": "2026-11-23", "group_by": "day"}  # 31 local days
    report_ms = []
    began_cpu = cpu_ms(*pids)
    for _ in range(REPORT_RUNS):
        began = time.perf_counter()
        r = api.get("/v1/reports/sales", params=month, headers=owner["headers"])
        report_ms.append((time.perf_counter() - began) * 1000)
        assert r.status_code == 200 and r.json()["totals"]["invoices"]["count"] > 0, r.text
    return {
        "history": history_ms,
        "report": report_ms,
        "history_cpu": history_cpu,
        "report_cpu": (cpu_ms(*pids) - began_cpu) / REPORT_RUNS,
        "month_invoices": r.json()["totals"]["invoices"]["count"],
    }


def run(work: Path) -> list[dict[str, Any]]:
    size = f"{INVOICES // 1000}k"
    server, meta = dataset.prepared(INVOICES, CUSTOMERS, work)
    server.start()
    try:
        with dataset.services(server, work) as (api, pid, _):
            owner = dataset.login(api, meta["phone"])
            db = owner["db"]
            admin = httpx.Client(base_url=server.url, auth=(server.admin_user, server.admin_password), timeout=600)
            figures = measure(api, owner, dataset.phones_of(CUSTOMERS), (server.process.pid, pid))
            load = os.getloadavg()[0]  # the machine is shared: a high load inflates every latency
            rss = peak_rss_mb(pid)
        find_ms = timed(
            lambda: admin.post(
                f"/{db}/_find",
                json={
                    "selector": {
                        "type": "invoice",
                        "issued_at": {"$gte": "2026-10-23T18:30:00Z", "$lt": "2026-11-23T18:30:00Z"},
                    },
                    "fields": ["_id", "total_paise", "lines", "issued_at"],
                    "limit": 1_000_000,
                },
            )
        )
        trivial_ms = [timed(lambda: admin.get(f"/{db}/business")) for _ in range(50)]
        rollup_rate = rollup_step_rate(server, db)
    finally:
        server.stop()
    history_ms, report_ms = figures["history"], figures["report"]
    p95 = statistics.quantiles(history_ms, n=20)[-1]
    print(f"month: {figures['month_invoices']} invoices")
    shared = f"load average {load:.1f} on the shared 2 cores; CPU per request (server + services) "
    history_note = shared + f"{figures['history_cpu']:.0f} ms"
    report_note = shared + f"{figures['report_cpu']:.0f} ms"
    results = [
        result(f"history_p50_{size}", statistics.median(history_ms), "ms", None, None, history_note),
        result(f"history_p95_{size}", p95, "ms", 100, p95 <= 100, history_note),
        result(f"month_daily_report_median_{size}", statistics.median(report_ms), "ms", None, None, report_note),
        result(f"month_daily_report_max_{size}", max(report_ms), "ms", 500, max(report_ms) <= 500, report_note),
        result(f"services_peak_rss_{size}", rss, "MB", 200, rss <= 200),
        result(f"history_cpu_per_request_{size}", figures["history_cpu"], "ms", None, None),
        result(f"month_daily_report_cpu_per_request_{size}", figures["report_cpu"], "ms", None, None),
        result(f"month_find_without_rollups_{size}", find_ms, "ms", None, None),
        result(f"auditor_rollup_replay_{size}", rollup_rate, "docs/s", None, None),
        result(f"load_average_1m_while_measuring_{size}", load, "procs", None, None),
        result(f"couch_trivial_read_p50_{size}", statistics.median(trivial_ms), "ms", None, None),
    ]
    if "index_warm_s" in meta:  # measured when the dataset was built (maybe by an earlier run)
        once = "building the dataset, once (then cached under BENCH_CACHE)"
        results += [
            result(f"dataset_bulk_load_{size}", meta["seed_s"], "s", None, None, once),
            result(f"dataset_rollups_{size}", meta["rollups_s"], "s", None, None, once),
            result(f"index_warm_after_bulk_load_{size}", meta["index_warm_s"], "s", None, None, once),
        ]
    return results


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench_history_") as tmp:
        save(run(Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
