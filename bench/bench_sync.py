"""Sync cost with real PouchDB phones (bench/pouch_bench.js), on the embedded server and, when a
build is found (services.apache_couchdb: COUCHDB_DIST, default ../shared/couchdb), on Apache
CouchDB; every ratio is against a baseline on the same engine in the same run.

1. push of N realistic sales/invoices from a fresh phone into a business db with the generated
   Mango VDU vs the same db without it (target ratio <= 1.15);
2. initial pull of that db to a fresh phone vs a pull as admin from a plain db (<= 1.10);
3. growth: per-doc push/pull cost at each size, largest vs smallest (<= 1.2);
4. auditor lag: from a doc landing in the shop's db to its seal in svc_ledger, p95, while the
   auditor (`python -m shopbill.services.integrity.auditor`) runs under a push of N docs.
N = 10,000 (QUICK=1: 1,000); sizes 1k/10k/50k (QUICK: 500/1k). Pairs alternate, medians taken.
Apache CouchDB's entries carry the suffix `_couchdb`; every entry names its `engine`.

    .venv/bin/python -m bench.bench_sync
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.fixtures import (
    QUICK,
    SMOKE,
    Bench,
    Phones,
    Server,
    apache_server,
    at_most,
    entry,
    make_shop,
    on_engine,
    p95,
    plain_db,
    server,
    shop_docs,
    tree_cpu,
)
from shopbill.services.core.names import LEDGER_DB

if SMOKE:
    N, SIZES, REPS = 20, [10, 20], 1
elif QUICK:
    N, SIZES, REPS = 1_000, [500, 1_000], 3
else:
    N, SIZES, REPS = 10_000, [1_000, 10_000, 50_000], 3


def label(count: int) -> str:
    return f"{count // 1000}k" if count >= 1000 and count % 1000 == 0 else str(count)


class Follower(threading.Thread):
    """Notes when each id first shows in a db's `_changes` (longpoll, as admin)."""

    def __init__(self, srv: Server, db: str) -> None:
        super().__init__(daemon=True)
        self.srv, self.db, self.seen, self.stopped = srv, db, {}, threading.Event()

    def run(self) -> None:
        since = "now"
        with self.srv.admin(timeout=30) as admin:
            while not self.stopped.is_set():
                body = admin.get(
                    f"/{self.db}/_changes", params={"feed": "longpoll", "since": since, "timeout": 1000}
                ).json()
                now = time.monotonic()
                for row in body["results"]:
                    self.seen.setdefault(row["id"], now)
                since = body["last_seq"]


def auditor_lag(srv: Server, phones: Phones, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Item 6: a push of `docs` while the auditor runs; lag of each seal after its doc landed."""
    shop = make_shop(srv)
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        **srv.env(),
        "SECRET_KEY": "b" * 40,
    }
    auditor = subprocess.Popen(
        [sys.executable, "-m", "shopbill.services.integrity.auditor"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    landed, sealed = Follower(srv, shop["db"]), Follower(srv, LEDGER_DB)
    try:
        with srv.admin() as admin:  # the auditor provisions svc_ledger first
            deadline = time.monotonic() + 60
            while admin.get(f"/{LEDGER_DB}").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
        landed.start()
        sealed.start()
        time.sleep(1.5)  # both feeds are open
        push = phones.run("push", shop, docs)
        immutable = {d["_id"] for d in docs if d["type"] in ("invoice", "payment")}
        wanted = {f"seal:{shop['db']}:{i}" for i in immutable}
        wait = max(120, push["seconds"] * 4)
        deadline = time.monotonic() + wait
        while not wanted <= sealed.seen.keys() and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        landed.stopped.set()
        sealed.stopped.set()
        for follower in (landed, sealed):  # their longpolls end within a second
            follower.join(timeout=10)
        auditor.terminate()
        auditor.wait(timeout=30)
    lags = [
        (sealed.seen[f"seal:{shop['db']}:{i}"] - landed.seen[i]) * 1000
        for i in immutable
        if f"seal:{shop['db']}:{i}" in sealed.seen and i in landed.seen
    ]
    missing = len(immutable) - len(lags)
    size = label(len(docs))
    note = f"{len(lags)} seals timed; no target in the issue"
    if missing:  # no target, but a doc without a verdict long after the push is a failure
        note = f"MISSED: {missing} of {len(immutable)} docs not sealed {wait:.0f} s after the push"
    return [
        entry(f"auditor_lag_p50_{size}_push", statistics.median(lags) if lags else None, "ms"),
        entry(
            f"auditor_lag_p95_{size}_push", p95(lags) if lags else None, "ms", ok=False if missing else None, note=note
        ),
        entry(f"push_with_auditor_{size}", push["seconds"], "s"),
    ]


def push_pairs(srv: Server, phones: Phones, docs: list[dict[str, Any]]) -> tuple[dict, dict, dict]:
    """REPS pushes of `docs` with and without the VDU, in ABBA order (a load that rises or falls
    during the run favours neither): {vdu: [seconds]}, {vdu: [server CPU seconds]} (empty for a
    COUCHDB_URL: a figure the machine's load inflates far less than wall time), and the last shop
    with the VDU."""
    seconds: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    shop: dict[str, str] = {}
    for rep in range(REPS):
        for vdu in (True, False) if rep % 2 == 0 else (False, True):
            target = make_shop(srv, vdu=vdu)
            began = tree_cpu(srv.pid) if srv.pid else 0.0
            seconds[vdu].append(phones.run("push", target, docs)["seconds"])
            if srv.pid:
                cpu[vdu].append(tree_cpu(srv.pid) - began)
            shop = target if vdu else shop
    return seconds, cpu, shop


def run(srv: Server, work: Path) -> list[dict[str, Any]]:
    phones = Phones(work)
    docs = {size: shop_docs(size, seed=size % 97) for size in {*SIZES, N}}
    size = label(N)
    results = auditor_lag(srv, phones, docs[N])

    loads = [os.getloadavg()[0]]
    pushes, cpu, shop = push_pairs(srv, phones, docs[N])
    loads.append(os.getloadavg()[0])
    with_vdu, without = pushes[True], pushes[False]
    ratio = statistics.median(with_vdu) / statistics.median(without)
    results += [
        entry(f"push_{size}_mango_vdu", statistics.median(with_vdu), "s"),
        entry(f"push_{size}_no_vdu", statistics.median(without), "s"),
        at_most(
            f"push_{size}_vdu_ratio",
            ratio,
            "x",
            1.15,
            f"medians of {REPS} pushes each, ABBA order, load average {min(loads):.1f}..{max(loads):.1f}",
        ),
    ]
    if cpu[True] and statistics.median(cpu[False]) > 0:  # a smoke push may cost no measurable CPU
        results.append(
            entry(
                f"push_{size}_vdu_server_cpu_ratio",
                statistics.median(cpu[True]) / statistics.median(cpu[False]),
                "x",
                note=f"server CPU seconds per push, medians ({statistics.median(cpu[True]):.2f}"
                f" s vs {statistics.median(cpu[False]):.2f} s): what the VDU costs the server",
            )
        )

    plain = plain_db(srv, docs[N])
    shop_pulls, admin_pulls = [], []
    for rep in range(REPS):
        for source, times in ((shop, shop_pulls), (plain, admin_pulls))[:: 1 if rep % 2 == 0 else -1]:
            times.append(phones.run("pull", source)["seconds"])
    ratio = statistics.median(shop_pulls) / statistics.median(admin_pulls)
    results += [
        entry(f"pull_{size}_shop", statistics.median(shop_pulls), "s"),
        entry(f"pull_{size}_admin_plain_db", statistics.median(admin_pulls), "s"),
        at_most(
            f"pull_{size}_ratio",
            ratio,
            "x",
            1.10,
            f"shop user (security, VDU) vs admin from a plain db, medians of {REPS}",
        ),
    ]

    per_doc: dict[str, dict[int, float]] = {"push": {}, "pull": {}}
    per_doc["push"][N] = statistics.median(with_vdu) / N
    per_doc["pull"][N] = statistics.median(shop_pulls) / N
    for count in SIZES:
        if count == N:
            continue
        reps = REPS if count <= N else 1
        pushes, pulls = [], []
        for _ in range(reps):
            grown = make_shop(srv)
            pushes.append(phones.run("push", grown, docs[count])["seconds"])
            pulls.append(phones.run("pull", grown)["seconds"])
        per_doc["push"][count] = statistics.median(pushes) / count
        per_doc["pull"][count] = statistics.median(pulls) / count
    small, large = min(SIZES), max(SIZES)
    for direction, costs in per_doc.items():
        for count in SIZES:
            results.append(entry(f"{direction}_per_doc_{label(count)}", costs[count] * 1000, "ms"))
        results.append(
            at_most(
                f"{direction}_per_doc_growth_{label(large)}_vs_{label(small)}",
                costs[large] / costs[small],
                "x",
                1.2,
                f"per-doc {direction} time, {label(large)} docs vs {label(small)}",
            )
        )
    return results


def both_engines(srv: Server, work: Path) -> list[dict[str, Any]]:
    """`run` on `srv` (the embedded server), then on a new Apache CouchDB node when a build is found."""
    results = on_engine(run(srv, work), "embedded")
    with apache_server(work / "sync_couchdb_node") as apache:
        if apache is None:
            missing = entry(
                f"push_{label(N)}_vdu_ratio", None, "x", note="no Apache CouchDB build found (COUCHDB_DIST)"
            )
            return results + on_engine([missing], "couchdb")
        phones = work / "sync_couchdb_phones"
        phones.mkdir(exist_ok=True)
        return results + on_engine(run(apache, phones), "couchdb")


def main(shared: Bench | None = None) -> list[dict[str, Any]]:
    if shared:
        return both_engines(shared.srv, shared.work)
    with tempfile.TemporaryDirectory(prefix="bench_sync_") as tmp, server(Path(tmp)) as srv:
        return both_engines(srv, Path(tmp))


if __name__ == "__main__":
    from bench.run import report

    report(main())
