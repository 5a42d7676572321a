"""The shop of bench/bench_history.py: N invoices across M customers, built once, cached on disk.

Building it (from a clean machine) writes, on a new embedded server:
- the docs, as an admin through `_bulk_docs` in chunks (the validation design doc judges each);
- the seals the auditor would write (one `_bulk_docs` per chunk of the ledger);
- the roll-ups, computed from the same docs by the auditor's own `changes_of`/`merge`
  (services/reporting/rollups.py) and written once, instead of replaying every change through the
  auditor's step (which re-reads each batch's seals: ~300 docs/s);
- then every Mango index is brought up to date once.

The built server's data dir and credentials are kept under BENCH_CACHE (default
/tmp/shopbill-bench-cache), keyed by size and DATASET_VERSION; every run works on a copy, so it
starts from the same state. Bump DATASET_VERSION when the docs or the roll-ups' shape change.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import LEDGER_DB, ROLLUP_DB
from shopbill.services.couch import Couch
from shopbill.services.integrity.ledger import content_hash
from shopbill.services.ops.embedded import EmbeddedServer, free_port
from shopbill.services.ops.indexes import install_indexes
from shopbill.services.reporting.rollups import changes_of, merge, warm_indexes
from shopbill.validators import arithmetic
from shopbill.validators.numbering import financial_year, format_invoice_number

DATASET_VERSION = 1
CACHE = Path(os.environ.get("BENCH_CACHE", "/tmp/shopbill-bench-cache"))
END = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
INCOMPLETE_SHARE = 0.05  # extra incomplete sales, half of them with a later payment
PASSWORD = "bench-pass-1"
CHUNK = 2000


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def catalogue(rng: random.Random) -> list[dict[str, Any]]:
    rates = [0, 500, 1200, 1800, 2800]
    return [
        {
            "item_id": f"item:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
            "name": f"Item {n}",
            "unit": "pcs",
            "hsn": "8511",
            "unit_price_paise": rng.randrange(500, 50_000, 100),
            "gst_rate_bp": rng.choice(rates),
        }
        for n in range(60)
    ]


def checkout(
    rng: random.Random, items: list[dict], phone: str, at: datetime, counter: int, *, full: bool
) -> list[dict[str, Any]]:
    """A sale (and its invoice, or a later payment) as a phone writes it."""
    sale_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    lines = []
    for item in rng.sample(items, rng.randint(1, 3)):
        line = {**item, "price_includes_gst": True, "qty_milli": rng.choice([1000, 2000, 500]), "discount_paise": 0}
        lines.append({**line, **vars(arithmetic.line_money(arithmetic.line_input(line), "intra_state"))})
    subtotal = sum(line["amount_paise"] for line in lines)
    total = subtotal + arithmetic.round_off(subtotal, True)
    common = {"schema_version": 1, "created_at": stamp(at), "updated_at": stamp(at), "device_id": "dev_bench1"}
    body = {
        "customer_phone": phone,
        "supply": "intra_state",
        "lines": lines,
        "round_off_paise": total - subtotal,
        "total_paise": total,
    }
    paid = total if full else total // 3
    sale = {
        "_id": f"sale:{sale_uuid}",
        "type": "sale",
        **common,
        **body,
        "paid_paise": paid,
        "status": "invoiced" if full else "incomplete",
    }
    if full:
        number = format_invoice_number("B1", financial_year(at), counter)
        return [
            sale,
            {
                "_id": f"invoice:{sale_uuid}",
                "type": "invoice",
                **common,
                **body,
                "sale_id": sale["_id"],
                "number": number,
                "paid_paise": total,
                "issued_at": stamp(at),
            },
        ]
    if rng.random() < 0.5:
        later = at + timedelta(days=3)
        return [
            sale,
            {
                "_id": f"payment:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                "type": "payment",
                **common,
                "created_at": stamp(later),
                "updated_at": stamp(later),
                "sale_id": sale["_id"],
                "amount_paise": total // 3,
                "method": "cash",
                "paid_at": stamp(later),
            },
        ]
    return [sale]


def days_of(invoices: int) -> float:
    """Days the sales spread over: full size's density (a month reads ~8,300 invoices)."""
    return max(31.0, 365 * invoices / 100_000)


def phones_of(customers: int) -> list[str]:
    return [f"+9198{n:08d}" for n in range(10_000_000, 10_000_000 + customers)]


def documents(invoices: int, phones: list[str]) -> list[dict[str, Any]]:
    """Every checkout of the period, oldest first (phones sync in roughly that order)."""
    rng = random.Random(7)
    items = catalogue(rng)
    days = days_of(invoices)
    start = END - timedelta(days=days)
    count = int(invoices * (1 + INCOMPLETE_SHARE))
    times = sorted(start + timedelta(seconds=rng.uniform(0, days * 86400)) for _ in range(count))
    docs: list[dict[str, Any]] = []
    counters: dict[str, int] = {}
    issued = 0
    for at in times:
        full = issued < invoices and rng.random() >= INCOMPLETE_SHARE / (1 + INCOMPLETE_SHARE)
        fy = financial_year(at)
        counters[fy] = counters.get(fy, 0) + full
        issued += full
        docs += checkout(rng, items, rng.choice(phones), at, counters[fy], full=full)
    return docs


@contextmanager
def services(server: EmbeddedServer, work: Path) -> Iterator[tuple[httpx.Client, int, Path]]:
    """The services app (uvicorn, its own process) on `server`: (client, pid, SMS file)."""
    sms_file = work / "sms.jsonl"
    env = {
        "COUCHDB_URL": server.url,
        "COUCHDB_ADMIN_USER": server.admin_user,
        "COUCHDB_ADMIN_PASSWORD": server.admin_password,
        "SECRET_KEY": secrets.token_hex(24),
        "SMS_BACKEND": f"file:{sms_file}",
        "VDU_TARGET": "mango",
        "OTP_RESEND_SECONDS": "0",
    }
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "shopbill.services.api.main:create_app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
    )
    try:
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        for _ in range(150):
            try:
                if api.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield api, process.pid, sms_file
    finally:
        process.terminate()
        process.wait(timeout=30)


def signup(api: httpx.Client, sms_file: Path) -> str:
    """A new owner and business through the API; the owner's phone."""
    phone = f"+9197{random.randint(0, 99_999_999):08d}"
    assert api.post("/v1/signup/otp", json={"phone": phone}).status_code == 202
    sms = [json.loads(x) for x in sms_file.read_text().splitlines()][-1]["text"]
    otp = re.search(r"\b(\d{6})\b", sms).group(1)
    token = api.post("/v1/signup/verify", json={"phone": phone, "otp": otp}).json()["signup_token"]
    r = api.post(
        "/v1/signup/complete",
        json={
            "signup_token": token,
            "password": PASSWORD,
            "owner_name": "Bench",
            "business": {"name": "Bench Auto", "category": "automobile"},
        },
    )
    assert r.status_code == 201, r.text
    return phone


def login(api: httpx.Client, phone: str) -> dict[str, Any]:
    """The owner's login answer, with `db` and bearer `headers` added."""
    r = api.post("/v1/login", json={"phone": phone, "password": PASSWORD, "device_id": "dev-bench"})
    assert r.status_code == 200, r.text
    return {
        **r.json(),
        "db": r.json()["couchdb"]["db"],
        "headers": {"Authorization": f"Bearer {r.json()['access_token']}"},
    }


def seed(admin: httpx.Client, db: str, docs: list[dict[str, Any]]) -> float:
    """Write `docs` (setting their `_rev`) and the auditor's seals; return seconds taken."""
    began = time.perf_counter()
    for i in range(0, len(docs), CHUNK):
        chunk = docs[i : i + CHUNK]
        rows = admin.post(f"/{db}/_bulk_docs", json={"docs": chunk}).json()
        refused = [r for r in rows if "error" in r]
        assert not refused, refused[:3]
        seals = []
        for doc, row in zip(chunk, rows):
            doc["_rev"] = row["rev"]
            if doc["type"] in ("invoice", "payment"):
                seals.append(
                    {
                        "_id": f"seal:{db}:{doc['_id']}",
                        "rev": row["rev"],
                        "hash": content_hash(doc),
                        "sealed_at": stamp(END),
                    }
                )
        r = admin.post(f"/{LEDGER_DB}/_bulk_docs", json={"docs": seals})
        assert r.status_code == 201, r.text
    return time.perf_counter() - began


def write_rollups(admin: httpx.Client, db: str, docs: list[dict[str, Any]]) -> float:
    """The roll-ups of `docs` (all sealed at their `_rev`, none flagged), as the auditor builds
    them; seconds taken."""
    began = time.perf_counter()
    changes = changes_of([{**d, "_db": db} for d in docs])
    rollups = [merge(None, doc_id, change) for doc_id, change in changes.items()]
    for i in range(0, len(rollups), CHUNK):
        r = admin.post(f"/{ROLLUP_DB}/_bulk_docs", json={"docs": rollups[i : i + CHUNK]})
        assert r.status_code == 201 and not [x for x in r.json() if "error" in x], r.text[:300]
    return time.perf_counter() - began


def warm(server: EmbeddedServer) -> float:
    """Install the current Mango indexes of the shop (an index added since the build is new)
    and bring every one up to date; seconds taken."""

    async def go(db: str) -> None:
        couch = Couch(
            load_settings(
                {
                    "COUCHDB_URL": server.url,
                    "COUCHDB_TIMEOUT": "3600",
                    "COUCHDB_ADMIN_USER": server.admin_user,
                    "COUCHDB_ADMIN_PASSWORD": server.admin_password,
                }
            )
        )
        try:
            await install_indexes(couch.http, db)
            await warm_indexes(couch, db)
        finally:
            await couch.aclose()

    began = time.perf_counter()
    meta = json.loads((server.data_dir / "bench.json").read_text())
    asyncio.run(go(meta["db"]))
    return time.perf_counter() - began


def build(target: Path, invoices: int, customers: int) -> dict[str, Any]:
    """Build the dataset into `target` (a new data dir); its metadata (also in bench.json)."""
    server = EmbeddedServer(
        data_dir=target, admin_user="admin", admin_password=secrets.token_urlsafe(16), secret=secrets.token_hex(32)
    )
    server.start()
    try:
        with services(server, target) as (api, _, sms_file):
            phone = signup(api, sms_file)
            db = login(api, phone)["db"]
        meta = {
            "version": DATASET_VERSION,
            "invoices": invoices,
            "customers": customers,
            "admin_password": server.admin_password,
            "secret": server.secret,
            "phone": phone,
            "db": db,
        }
        docs = documents(invoices, phones_of(customers))
        print(f"building: {len(docs)} docs ({invoices} invoices, {customers} customers) in {db}", flush=True)
        with httpx.Client(base_url=server.url, timeout=3600, auth=(server.admin_user, server.admin_password)) as admin:
            meta["seed_s"] = seed(admin, db, docs)
            meta["docs"] = len(docs)
            meta["rollups_s"] = write_rollups(admin, db, docs)
        (target / "bench.json").write_text(json.dumps(meta))
        meta["index_warm_s"] = warm(server)
        (target / "bench.json").write_text(json.dumps(meta))
        print(
            f"built: seeded {meta['seed_s']:.0f} s, roll-ups {meta['rollups_s']:.0f} s, "
            f"indexes {meta['index_warm_s']:.0f} s",
            flush=True,
        )
        return meta
    finally:
        server.stop()


def prepared(invoices: int, customers: int, work: Path) -> tuple[EmbeddedServer, dict[str, Any]]:
    """A copy of the cached dataset (built first if missing) in `work`, and its metadata.

    The metadata says `built: True` when this call built it (its build figures are fresh).
    A cached dataset gets the indexes added since it was built (warmed in the cache, once).
    """
    cached = CACHE / f"history-v{DATASET_VERSION}-{invoices}-{customers}"
    built = False
    if not (cached / "bench.json").exists() or "index_warm_s" not in json.loads((cached / "bench.json").read_text()):
        staging = cached.with_name(cached.name + ".building")
        shutil.rmtree(staging, ignore_errors=True)
        staging.parent.mkdir(parents=True, exist_ok=True)
        build(staging, invoices, customers)
        shutil.rmtree(cached, ignore_errors=True)
        staging.rename(cached)
        built = True
    else:
        server = server_of(cached)
        server.start()
        try:
            warm(server)
        finally:
            server.stop()
    data_dir = work / "couchdb"
    shutil.copytree(cached, data_dir)
    return server_of(data_dir), {**json.loads((data_dir / "bench.json").read_text()), "built": built}


def server_of(data_dir: Path) -> EmbeddedServer:
    """An (unstarted) embedded server on a dataset's data dir, with its admin credentials."""
    meta = json.loads((data_dir / "bench.json").read_text())
    return EmbeddedServer(
        data_dir=data_dir, admin_user="admin", admin_password=meta["admin_password"], secret=meta["secret"]
    )
