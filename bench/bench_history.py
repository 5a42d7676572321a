"""Benchmark of issue 7: customer history, a month's daily report and the services' memory.

Targets, on the embedded server, one business with 100,000 invoices across 5,000 customers:
customer history p95 <= 100 ms; a month's daily sales report <= 500 ms; RSS of the services
process <= 200 MB while serving them. Also measured (no target), the reasons for the design:
one month read with `_find` (what the report would cost without roll-ups), building the Mango
indexes, and the auditor's roll-up step.

    .venv/bin/python bench/bench_history.py          # full size (an hour on a busy 2-core box)
    QUICK=1 .venv/bin/python bench/bench_history.py  # 10,000 invoices across 500 customers
    BENCH_INVOICES=30000 BENCH_CUSTOMERS=1500 .venv/bin/python bench/bench_history.py

A reduced run keeps the full size's densities: ~20 invoices per customer, and the sales spread
over 365 × invoices / 100,000 days (at least 31), so the month's report reads as many invoices
(~8,300) as at full size. Only the indexes are smaller (their lookups grow as log n).

Results are merged by name into bench/results.json as [{name, value, unit, target, ok}].
Not part of the test suite. The data is written as an admin through `_bulk_docs`, so the
validation design doc judges every doc; seals are written as the auditor writes them, and the
roll-ups are built by the auditor's own step (services/rollups.py `update_rollups`).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

from shopbill.services.business import business_db
from shopbill.services.core.config import load_settings
from shopbill.services.couch import Couch
from shopbill.services.embedded import EmbeddedServer, free_port
from shopbill.services.ledger import LEDGER_DB, content_hash
from shopbill.services.rollups import update_rollups, warm_indexes
from shopbill.validators import arithmetic

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
QUICK = os.environ.get("QUICK") == "1"
INVOICES = int(os.environ.get("BENCH_INVOICES", 10_000 if QUICK else 100_000))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", INVOICES // 20))
DAYS = max(31.0, 365 * INVOICES / 100_000)
INCOMPLETE_SHARE = 0.05  # extra incomplete sales, half of them with a later payment
HISTORY_SAMPLES = 200
REPORT_RUNS = 7
END = datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)
IST = timezone(timedelta(hours=5, minutes=30))


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def catalogue(rng: random.Random) -> list[dict[str, Any]]:
    rates = [0, 500, 1200, 1800, 2800]
    return [{"item_id": f"item:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
             "name": f"Item {n}", "unit": "pcs", "hsn": "8511",
             "unit_price_paise": rng.randrange(500, 50_000, 100), "gst_rate_bp": rng.choice(rates)}
            for n in range(60)]


def checkout(rng: random.Random, items: list[dict], phone: str, at: datetime, counter: int,
             *, full: bool) -> list[dict[str, Any]]:
    """A sale (and its invoice, or a later payment) as a phone writes it."""
    sale_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    lines = []
    for item in rng.sample(items, rng.randint(1, 3)):
        line = {**item, "price_includes_gst": True, "qty_milli": rng.choice([1000, 2000, 500]),
                "discount_paise": 0}
        lines.append({**line, **vars(arithmetic.line_money(arithmetic.line_input(line), "intra_state"))})
    subtotal = sum(line["amount_paise"] for line in lines)
    total = subtotal + arithmetic.round_off(subtotal, True)
    common = {"schema_version": 1, "created_at": stamp(at), "updated_at": stamp(at),
              "device_id": "dev_bench1"}
    body = {"customer_phone": phone, "supply": "intra_state", "lines": lines,
            "round_off_paise": total - subtotal, "total_paise": total}
    paid = total if full else total // 3
    sale = {"_id": f"sale:{sale_uuid}", "type": "sale", **common, **body, "paid_paise": paid,
            "status": "invoiced" if full else "incomplete"}
    if full:
        fy = at.astimezone(IST).year - (at.astimezone(IST).month < 4)
        number = f"B1/{fy % 100:02d}{(fy + 1) % 100:02d}/{counter:06d}"
        return [sale, {"_id": f"invoice:{sale_uuid}", "type": "invoice", **common, **body,
                       "sale_id": sale["_id"], "number": number, "paid_paise": total,
                       "issued_at": stamp(at)}]
    if rng.random() < 0.5:
        later = at + timedelta(days=3)
        return [sale, {"_id": f"payment:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                       "type": "payment", **common, "created_at": stamp(later),
                       "updated_at": stamp(later),
                       "sale_id": sale["_id"], "amount_paise": total // 3, "method": "cash",
                       "paid_at": stamp(later)}]
    return [sale]


def documents(phones: list[str]) -> list[dict[str, Any]]:
    """Every checkout of one year, oldest first (phones sync in roughly that order)."""
    rng = random.Random(7)
    items = catalogue(rng)
    start = END - timedelta(days=DAYS)
    count = int(INVOICES * (1 + INCOMPLETE_SHARE))
    times = sorted(start + timedelta(seconds=rng.uniform(0, DAYS * 86400)) for _ in range(count))
    docs: list[dict[str, Any]] = []
    counters: dict[int, int] = {}
    invoices = 0
    for at in times:
        full = invoices < INVOICES and rng.random() >= INCOMPLETE_SHARE / (1 + INCOMPLETE_SHARE)
        fy = at.astimezone(IST).year - (at.astimezone(IST).month < 4)
        counters[fy] = counters.get(fy, 0) + full
        invoices += full
        docs += checkout(rng, items, rng.choice(phones), at, counters[fy], full=full)
    return docs


def signup_and_login(api: httpx.Client, sms_file: Path) -> dict[str, Any]:
    phone = f"+9197{random.randint(0, 99_999_999):08d}"
    assert api.post("/v1/signup/otp", json={"phone": phone}).status_code == 202
    otp = re.search(r"\b(\d{6})\b", [json.loads(x) for x in sms_file.read_text().splitlines()][-1]["text"])
    token = api.post("/v1/signup/verify", json={"phone": phone, "otp": otp.group(1)}).json()["signup_token"]
    r = api.post("/v1/signup/complete", json={
        "signup_token": token, "password": "bench-pass-1", "owner_name": "Bench",
        "business": {"name": "Bench Auto", "category": "automobile"}})
    assert r.status_code == 201, r.text
    r = api.post("/v1/login", json={"phone": phone, "password": "bench-pass-1", "device_id": "dev-bench"})
    assert r.status_code == 200, r.text
    return {"business_id": r.json()["couchdb"]["db"].removeprefix("biz_"), **r.json()}


def seed(admin: httpx.Client, db: str, docs: list[dict[str, Any]]) -> float:
    """Write `docs` (judged by the VDU) and the auditor's seals; return seconds taken."""
    began = time.perf_counter()
    seals = []
    for i in range(0, len(docs), 2000):
        chunk = docs[i:i + 2000]
        rows = admin.post(f"/{db}/_bulk_docs", json={"docs": chunk}).json()
        refused = [r for r in rows if "error" in r]
        assert not refused, refused[:3]
        for doc, row in zip(chunk, rows):
            if doc["type"] in ("invoice", "payment"):
                seals.append({"_id": f"seal:{db}:{doc['_id']}", "rev": row["rev"],
                              "hash": content_hash(doc), "sealed_at": stamp(END)})
    for i in range(0, len(seals), 5000):
        assert admin.post(f"/{LEDGER_DB}/_bulk_docs", json={"docs": seals[i:i + 5000]}).status_code == 201
    return time.perf_counter() - began


async def build_rollups(couch: Couch, db: str) -> tuple[float, int]:
    """Run the auditor's roll-up step over every change, 200 at a time; (seconds, changes)."""
    began, since, seen = time.perf_counter(), "0", 0
    while True:
        body = (await couch.request("GET", f"/{db}/_changes", params={
            "since": since, "include_docs": "true", "conflicts": "true", "limit": 200})).json()
        await update_rollups(couch, db, [r["doc"] for r in body["results"] if r.get("doc")])
        seen += len(body["results"])
        since = str(body["last_seq"])
        if len(body["results"]) < 200:
            return time.perf_counter() - began, seen


def timed(call: Any) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def result(name: str, value: float, unit: str, target: float | None, ok: bool | None) -> dict:
    return {"name": name, "value": round(value, 1), "unit": unit, "target": target, "ok": ok}


def save(results: list[dict[str, Any]]) -> None:
    merged = {r["name"]: r for r in json.loads(RESULTS.read_text())} if RESULTS.exists() else {}
    merged.update({r["name"]: r for r in results})
    RESULTS.write_text(json.dumps(list(merged.values()), indent=2) + "\n")
    print(f"\n{'name':<44} {'value':>10} {'unit':<6} {'target':>8}  ok")
    for r in results:
        target = "" if r["target"] is None else f"{r['target']:g}"
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        print(f"{r['name']:<44} {r['value']:>10} {r['unit']:<6} {target:>8}  {ok}")


def run(server: EmbeddedServer, work: Path) -> list[dict[str, Any]]:
    sms_file = work / "sms.jsonl"
    env = {"COUCHDB_URL": server.url, "COUCHDB_ADMIN_USER": server.admin_user,
           "COUCHDB_ADMIN_PASSWORD": server.admin_password, "SECRET_KEY": secrets.token_hex(24),
           "SMS_BACKEND": f"file:{sms_file}", "VDU_TARGET": "mango", "OTP_RESEND_SECONDS": "0"}
    port = free_port()
    services = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory",
                                 "shopbill.services.api.main:create_app", "--port", str(port),
                                 "--log-level", "warning"], env={**os.environ, **env})
    size = f"{INVOICES // 1000}k"
    try:
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        for _ in range(100):
            try:
                if api.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        owner = signup_and_login(api, sms_file)
        db = business_db(owner["business_id"])
        admin = httpx.Client(base_url=server.url, auth=(server.admin_user, server.admin_password),
                             timeout=600)
        phones = [f"+9198{n:08d}" for n in range(10_000_000, 10_000_000 + CUSTOMERS)]
        docs = documents(phones)
        print(f"writing {len(docs)} docs ({INVOICES} invoices, {CUSTOMERS} customers) to {db}")
        seeded = seed(admin, db, docs)
        couch = Couch(load_settings({**env, "COUCHDB_TIMEOUT": "600"}))

        async def auditor_work() -> tuple[float, int, float]:
            (took, changes), began = await build_rollups(couch, db), time.perf_counter()
            await warm_indexes(couch, db)
            warm = time.perf_counter() - began
            await couch.aclose()
            return took, changes, warm

        rollup_s, changes, index_s = asyncio.run(auditor_work())
        print(f"seeded in {seeded:.0f} s; roll-ups {rollup_s:.0f} s; indexes {index_s:.0f} s")
        # Loading took longer than an access token lives: refresh it as a phone would.
        r = api.post("/v1/token/refresh", json={"refresh_token": owner["refresh_token"]})
        assert r.status_code == 200, r.text
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        rng = random.Random(11)
        history_ms = []
        for phone in rng.sample(phones, min(HISTORY_SAMPLES, len(phones))):
            began = time.perf_counter()
            r = api.get(f"/v1/customers/{phone}/history", headers=headers)
            history_ms.append((time.perf_counter() - began) * 1000)
            assert r.status_code == 200 and r.json()["visits"] > 0, r.text
        month = {"from": "2026-10-24", "to": "2026-11-23", "group_by": "day"}  # 31 local days
        report_ms = []
        for _ in range(REPORT_RUNS):
            began = time.perf_counter()
            r = api.get("/v1/reports/sales", params=month, headers=headers)
            report_ms.append((time.perf_counter() - began) * 1000)
            assert r.status_code == 200 and r.json()["totals"]["invoices"]["count"] > 0, r.text
        invoices_in_month = r.json()["totals"]["invoices"]["count"]
        find_ms = timed(lambda: admin.post(f"/{db}/_find", json={
            "selector": {"type": "invoice", "issued_at": {"$gte": "2026-10-23T18:30:00Z",
                                                          "$lt": "2026-11-23T18:30:00Z"}},
            "fields": ["_id", "total_paise", "lines", "issued_at"], "limit": 1_000_000}))
        trivial_ms = [timed(lambda: admin.get(f"/{db}/business")) for _ in range(50)]
        rss = peak_rss_mb(services.pid)
        load = os.getloadavg()[0]  # the machine is shared: a high load inflates every latency
        p95 = statistics.quantiles(history_ms, n=20)[-1]
        print(f"month: {invoices_in_month} invoices")
        return [
            result(f"history_p50_{size}", statistics.median(history_ms), "ms", None, None),
            result(f"history_p95_{size}", p95, "ms", 100, p95 <= 100),
            result(f"month_daily_report_median_{size}", statistics.median(report_ms), "ms", None, None),
            result(f"month_daily_report_max_{size}", max(report_ms), "ms", 500, max(report_ms) <= 500),
            result(f"services_peak_rss_{size}", rss, "MB", 200, rss <= 200),
            result(f"month_find_without_rollups_{size}", find_ms, "ms", None, None),
            result(f"auditor_rollup_step_{size}", changes / rollup_s, "docs/s", None, None),
            result(f"index_warm_after_bulk_load_{size}", index_s, "s", None, None),
            result(f"load_average_1m_while_measuring_{size}", load, "procs", None, None),
            result(f"couch_trivial_read_p50_{size}", statistics.median(trivial_ms), "ms", None, None),
        ]
    finally:
        services.terminate()
        services.wait(timeout=30)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench_history_") as tmp:
        work = Path(tmp)
        server = EmbeddedServer(data_dir=work / "couchdb", admin_user="admin",
                                admin_password=secrets.token_urlsafe(16), secret=secrets.token_hex(32))
        server.start()
        try:
            save(run(server, work))
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
