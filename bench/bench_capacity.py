"""Capacity figures on the embedded server: file descriptors and memory per open shop
database, what the LRU of open databases bounds, and the backup worker's cost per shop.

    .venv/bin/python bench/bench_capacity.py           # 400 shops
    SHOPS=100 .venv/bin/python bench/bench_capacity.py

Each shop database is what signup makes (the validation design doc) plus DOCS documents.
Results are merged by name into bench/results.json as [{name, value, unit, target, ok}].
Not part of the test suite.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shopbill.services.core.config import load_settings  # noqa: E402
from shopbill.services.core.names import shop_db  # noqa: E402
from shopbill.services.couch import Couch  # noqa: E402
from shopbill.services.ops.backup import BackupWorker  # noqa: E402
from shopbill.services.ops.embedded import EmbeddedServer  # noqa: E402
from shopbill.services.ops.provision import provision_server  # noqa: E402
from tests.utils.docs import example  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
SHOPS = int(os.environ.get("SHOPS", "400"))
DOCS = int(os.environ.get("DOCS", "50"))
VALIDATE = json.loads((ROOT / "design_docs" / "validate_mango.json").read_text())


def server(path: Path, *, max_dbs_open: int) -> EmbeddedServer:
    path.mkdir(parents=True)
    (path / "config.json").write_text(json.dumps({"couchdb": {"max_dbs_open": max_dbs_open}}))
    made = EmbeddedServer(
        data_dir=path, admin_user="admin", admin_password=secrets.token_hex(8), secret=secrets.token_hex(32)
    )
    made.start()
    return made


def fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def make_shops(admin: httpx.Client, count: int) -> list[str]:
    names = []
    for _ in range(count):
        db = shop_db(uuid.uuid4().hex)
        admin.put(f"/{db}").raise_for_status()
        admin.put(f"/{db}/_design/validate", json={k: v for k, v in VALIDATE.items() if k != "_rev"}).raise_for_status()
        docs = [example("item") | {"_id": f"item:{uuid.uuid4()}"} for _ in range(DOCS)]
        r = admin.post(f"/{db}/_bulk_docs", json={"docs": docs})
        assert all("error" not in row for row in r.json()), r.text[:300]
        names.append(db)
    return names


def touch_all(admin: httpx.Client, names: list[str]) -> None:
    for db in names:
        admin.get(f"/{db}/_all_docs", params={"limit": 1}).raise_for_status()


def result(name: str, value: float, unit: str, target: float | None = None, ok: bool | None = None) -> dict[str, Any]:
    return {"name": name, "value": round(value, 2), "unit": unit, "target": target, "ok": ok}


def open_db_costs(work: Path) -> list[dict[str, Any]]:
    """fds and RSS per open shop db, with the LRU wide open, then with the default bound."""
    wide = server(work / "wide", max_dbs_open=SHOPS + 50)
    try:
        pid = wide.process.pid
        with httpx.Client(base_url=wide.url, auth=(wide.admin_user, wide.admin_password), timeout=60) as admin:
            names = make_shops(admin, SHOPS)
        wide.restart()  # start from a server with no shop database open
        pid = wide.process.pid
        with httpx.Client(base_url=wide.url, auth=(wide.admin_user, wide.admin_password), timeout=60) as admin:
            admin.get("/_all_dbs").raise_for_status()
            time.sleep(1)
            fd0, rss0 = fds(pid), rss_mb(pid)
            began = time.perf_counter()
            touch_all(admin, names)
            open_ms = (time.perf_counter() - began) * 1000 / SHOPS
            time.sleep(1)
            fd1, rss1 = fds(pid), rss_mb(pid)
    finally:
        wide.stop()
    bounded = server(work / "bounded", max_dbs_open=100)
    try:
        with httpx.Client(base_url=bounded.url, auth=(bounded.admin_user, bounded.admin_password), timeout=60) as admin:
            names = make_shops(admin, SHOPS)
            touch_all(admin, names)
            touch_all(admin, names)  # every open now evicts another db
            bounded_fds = fds(bounded.process.pid)
    finally:
        bounded.stop()
    per_db_fds = (fd1 - fd0) / SHOPS
    return [
        result("open_db_fds_per_shop", per_db_fds, "fds"),
        result("open_db_rss_per_shop", (rss1 - rss0) * 1024 / SHOPS, "KB"),
        result("first_open_per_shop", open_ms, "ms"),
        result(f"fds_with_{SHOPS}_shops_lru_100", bounded_fds, "fds", 1024, bounded_fds < 1024),
        result("shops_open_under_ulimit_1024", (1024 - fd0) / max(per_db_fds, 0.01), "dbs"),
    ]


def backup_costs(work: Path) -> list[dict[str, Any]]:
    """Seconds per shop for a first copy and for a copy of an unchanged shop."""
    primary = server(work / "primary", max_dbs_open=500)
    backup = server(work / "backup", max_dbs_open=500)
    try:
        with httpx.Client(base_url=primary.url, auth=(primary.admin_user, primary.admin_password), timeout=60) as admin:
            names = make_shops(admin, min(SHOPS, 100))
        settings = load_settings(
            {
                "COUCHDB_URL": primary.url,
                "COUCHDB_ADMIN_PASSWORD": primary.admin_password,
                "BACKUP_COUCHDB_URL": backup.url,
                "BACKUP_COUCHDB_ADMIN_PASSWORD": backup.admin_password,
            }
        )

        async def copy_all() -> tuple[list[float], list[float]]:
            source, target = Couch(settings), Couch(settings.backup_settings())
            await provision_server(source)
            worker = BackupWorker(settings, source, target)
            first, again = [], []
            for bucket in (first, again):
                for db in names:
                    worker.pending[db] = time.time()
                    began = time.perf_counter()
                    await worker.copy_database(db)
                    bucket.append((time.perf_counter() - began) * 1000)
            await source.aclose()
            await target.aclose()
            return first, again

        first, again = asyncio.run(copy_all())
    finally:
        primary.stop()
        backup.stop()
    return [
        result(f"backup_first_copy_median_{DOCS}_docs", statistics.median(first), "ms"),
        result("backup_unchanged_copy_median", statistics.median(again), "ms"),
        result("backup_shops_per_minute_one_worker", 60_000 / statistics.median(again), "dbs"),
    ]


def save(results: list[dict[str, Any]]) -> None:
    merged = {r["name"]: r for r in json.loads(RESULTS.read_text())} if RESULTS.exists() else {}
    merged.update({r["name"]: r for r in results})
    RESULTS.write_text(json.dumps(list(merged.values()), indent=2) + "\n")
    for r in results:
        print(f"{r['name']:<44} {r['value']:>10} {r['unit']}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        save(open_db_costs(work) + backup_costs(work))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
