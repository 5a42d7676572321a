"""Many shops (issue 9, item 5): login and sync latency at 1,000 shops vs at 10, server footprint.

Ten owners sign up through the API; their login and a small sync (a fresh phone pushes 20 new
docs; another pulls a 100-doc shop) are timed. Then the server gets SHOPS businesses in all
(1,000; QUICK=1: 100), each provisioned as signup does (CouchDB user, database, `_security`,
design docs, indexes, `business` doc) with 20 docs, and the same figures are taken again.
Targets: login and sync at SHOPS <= 1.2x at 10. Also the embedded server's memory (RSS of the
node process) and open files (/proc/<pid>/fd) at 10 and at SHOPS (none for a COUCHDB_URL).

    .venv/bin/python -m bench.bench_shops
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.fixtures import (
    QUICK, SMOKE, Phones, Server, at_most, entry, login, open_files, provision_shop, rss_mb,
    server, services_app, shop_docs, signup,
)

SHOPS = 4 if SMOKE else 100 if QUICK else 1_000
FIRST = 2 if SMOKE else 10
REPS = 1 if SMOKE else 5 if QUICK else 9
CONCURRENCY = 4
SETTLE_S = 10


def provision_many(srv: Server, count: int) -> float:
    """Provision `count` more shops with 20 docs each; seconds taken."""
    began = time.perf_counter()

    async def provision() -> None:
        couch, gate = srv.couch(), asyncio.Semaphore(CONCURRENCY)

        async def one(n: int) -> None:
            async with gate:
                await provision_shop(couch, srv.url, docs=shop_docs(20, seed=1000 + n))

        try:
            await asyncio.gather(*(one(n) for n in range(count)))
        finally:
            await couch.aclose()

    asyncio.run(provision())
    return time.perf_counter() - began


def measure(api: Any, phones: Phones, owners: list[str], puller: dict[str, str]) -> dict[str, Any]:
    """Median ms of a login (every owner, at least 2 x REPS logins) and of a small sync (REPS)."""
    logins: list[float] = []
    answer: dict[str, Any] = {}
    for i in range(max(REPS * 2, len(owners))):
        took, answer = login(api, owners[i % len(owners)])
        logins.append(took)
    pusher = answer["couchdb"]  # the last login's credentials are the valid ones
    syncs = []
    for _ in range(REPS):
        push = phones.run("push", pusher, shop_docs(20, seed=5000 + len(phones.docs_files)))
        pull = phones.run("pull", puller)
        syncs.append((push["seconds"] + pull["seconds"]) * 1000)
    return {"login": statistics.median(logins), "sync": statistics.median(syncs)}


def footprint(srv: Server) -> tuple[float | None, int | None]:
    return (rss_mb(srv.pid), open_files(srv.pid)) if srv.pid else (None, None)


def run(srv: Server, work: Path, api: Any, sms_file: Path) -> list[dict[str, Any]]:
    phones = Phones(work)
    base = int(time.time()) % 10_000_000
    owners = [f"+9196{base + n:08d}" for n in range(FIRST)]
    for phone in owners:
        signup(api, sms_file, phone)

    async def puller_shop() -> dict[str, str]:
        couch = srv.couch()
        try:
            return await provision_shop(couch, srv.url, docs=shop_docs(100, seed=99))
        finally:
            await couch.aclose()

    puller = asyncio.run(puller_shop())
    few = measure(api, phones, owners, puller)
    rss_few, fds_few = footprint(srv)
    provision_s = provision_many(srv, SHOPS - FIRST - 1)
    time.sleep(0 if SMOKE else SETTLE_S)  # the burst's background work (LevelDB compactions)
    many = measure(api, phones, owners, puller)
    rss_many, fds_many = footprint(srv)
    note = f"medians at {SHOPS} shops vs at {FIRST} shops ({SETTLE_S} s after provisioning)"
    results = [
        entry(f"login_median_{FIRST}_shops", few["login"], "ms"),
        entry(f"login_median_{SHOPS}_shops", many["login"], "ms"),
        at_most(f"login_ratio_{SHOPS}_vs_{FIRST}_shops", many["login"] / few["login"], "x", 1.2, note),
        entry(f"sync_median_{FIRST}_shops", few["sync"], "ms",
              note="a fresh phone pushes 20 docs + another pulls a 100-doc shop"),
        entry(f"sync_median_{SHOPS}_shops", many["sync"], "ms"),
        at_most(f"sync_ratio_{SHOPS}_vs_{FIRST}_shops", many["sync"] / few["sync"], "x", 1.2, note),
        entry(f"provision_per_shop_{SHOPS}_shops", provision_s * 1000 / (SHOPS - FIRST - 1), "ms",
              note=f"user, db, security, design docs, indexes, 20 docs; {CONCURRENCY} at a time"),
    ]
    if srv.pid:
        results += [
            entry(f"server_rss_{FIRST}_shops", rss_few, "MB"),
            entry(f"server_rss_{SHOPS}_shops", rss_many, "MB"),
            entry(f"server_open_files_{FIRST}_shops", fds_few, "fds"),
            entry(f"server_open_files_{SHOPS}_shops", fds_many, "fds",
                  note="the server's LRU of open databases bounds this (max_dbs_open)"),
        ]
    return results


def main() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench_shops_") as tmp, server(Path(tmp)) as srv, \
            services_app(srv, Path(tmp)) as (api, sms_file):
        return run(srv, Path(tmp), api, sms_file)


if __name__ == "__main__":
    from bench.run import report

    report(main())
