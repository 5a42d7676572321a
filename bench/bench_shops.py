"""Many shops: login and sync latency at 1,000 shops vs at 10, server footprint.

The server under test gets SHOPS businesses (1,000; QUICK=1: 40), each provisioned as signup
does (CouchDB user, database, `_security`, design docs, indexes, `business` doc) with 20 docs;
FIRST of them (10; QUICK=1: 5) are owners signed up through the API. A second embedded server,
the baseline, gets only FIRST shops the same way. Then, in alternating rounds (ABBA, so a load
that rises or falls during the run favours neither), each server times logins of its owners and
a small sync (a fresh phone pushes 20 new docs; another pulls a 100-doc shop). The machine is
shared: figures taken minutes apart, before and after provisioning, moved with its load.
Targets: login and sync at SHOPS <= 1.2x at FIRST. Also each server's memory (RSS of the node
process) and open files (/proc/<pid>/fd). With COUCHDB_URL there is no second server: the
baseline is the same server measured before provisioning.

    .venv/bin/python -m bench.bench_shops
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.fixtures import (
    QUICK,
    SMOKE,
    Bench,
    Phones,
    Server,
    at_most,
    entry,
    login,
    open_files,
    provision_shop,
    rss_mb,
    server,
    services_app,
    shop_docs,
    signup,
)

SHOPS = 4 if SMOKE else 40 if QUICK else 1_000
FIRST = 2 if SMOKE else 5 if QUICK else 10
REPS = 1 if SMOKE else 3 if QUICK else 8  # rounds per server; each: 2 logins and a sync
CONCURRENCY = 4
SETTLE_S = 0 if SMOKE else 5 if QUICK else 10


@dataclass
class Site:
    """One server as its shops see it: the services app, FIRST owners, a 100-doc shop to pull."""

    srv: Server
    api: Any
    owners: list[str]
    puller: dict[str, str]
    logins: list[float] = field(default_factory=list)
    syncs: list[float] = field(default_factory=list)

    def round(self, phones: Phones) -> None:
        """Two logins (the next other owner, then the first owner) and a sync with the first
        owner's new credentials. Always the same two shops: the first round reopens them if the
        LRU closed them (reported apart), the others see them open, as a working shop is."""
        others = self.owners[1:] or self.owners
        took, _ = login(self.api, others[len(self.logins) // 2 % len(others)])
        self.logins.append(took)
        took, answer = login(self.api, self.owners[0])
        self.logins.append(took)
        push = phones.run("push", answer["couchdb"], shop_docs(20, seed=5000 + len(phones.docs_files)))
        pull = phones.run("pull", self.puller)
        self.syncs.append((push["seconds"] + pull["seconds"]) * 1000)

    def footprint(self) -> tuple[float | None, int | None]:
        return (rss_mb(self.srv.pid), open_files(self.srv.pid)) if self.srv.pid else (None, None)


def provision_many(srv: Server, count: int, docs: int = 20) -> list[dict[str, str]]:
    """Provision `count` more shops with `docs` docs each; their credentials."""

    async def provision() -> list[dict[str, str]]:
        couch, gate = srv.couch(), asyncio.Semaphore(CONCURRENCY)

        async def one(n: int) -> dict[str, str]:
            async with gate:
                return await provision_shop(couch, srv.url, docs=shop_docs(docs, seed=1000 + n))

        try:
            return await asyncio.gather(*(one(n) for n in range(count)))
        finally:
            await couch.aclose()

    return asyncio.run(provision())


def site(srv: Server, api: Any, sms_file: Path, signed_up: list[str]) -> Site:
    """`srv` with FIRST owners (those of `signed_up`, then new ones) and a shop to pull."""
    owners = signed_up[:FIRST]
    base = int(time.time() * 1000) % 10_000_000
    for n in range(FIRST - len(owners)):
        owners.append(f"+9196{(base + n) % 100_000_000:08d}")
        signup(api, sms_file, owners[-1])
    return Site(srv, api, owners, provision_many(srv, 1, docs=100)[0])


@contextmanager
def baseline(work: Path) -> Iterator[Site]:
    """A second embedded server with FIRST shops only."""
    with server(work) as srv, services_app(srv, work) as (api, sms_file):
        yield site(srv, api, sms_file, [])


def rounds(phones: Phones, sites: tuple[Site, Site]) -> None:
    """REPS rounds on each site, ABBA."""
    for rep in range(REPS):
        for one in sites if rep % 2 == 0 else sites[::-1]:
            one.round(phones)


def run(srv: Server, work: Path, api: Any, sms_file: Path, signed_up: list[str] | None = None) -> list[dict[str, Any]]:
    """The figures at SHOPS shops vs at FIRST; `signed_up`: owners already signed up on `srv`
    (which must hold no other shop)."""
    phones = Phones(work)
    big = site(srv, api, sms_file, list(signed_up or []))
    with ExitStack() as stack:
        if srv.pid:
            (work / "baseline").mkdir()
            small = stack.enter_context(baseline(work / "baseline"))
        else:  # an external server: the baseline is itself before provisioning
            small = Site(srv, api, big.owners, big.puller)
            for _ in range(REPS):
                small.round(phones)
        load_before = os.getloadavg()[0]
        provision_began = time.perf_counter()
        provision_many(srv, SHOPS - FIRST - 1)
        provision_ms = (time.perf_counter() - provision_began) * 1000 / (SHOPS - FIRST - 1)
        time.sleep(SETTLE_S)  # the burst's background work (LevelDB compactions)
        if srv.pid:
            rounds(phones, (small, big))
        else:
            for _ in range(REPS):
                big.round(phones)
        (rss_few, fds_few), (rss_many, fds_many) = small.footprint(), big.footprint()
    load = f"load average {load_before:.1f} before provisioning, {os.getloadavg()[0]:.1f} after"
    how = f"{REPS} rounds on each server, alternating" if srv.pid else "one server, before and after provisioning"
    note = f"medians at {SHOPS} shops vs at {FIRST} shops ({how}); {load}"
    few = {"login": statistics.median(small.logins), "sync": statistics.median(small.syncs)}
    many = {"login": statistics.median(big.logins), "sync": statistics.median(big.syncs)}
    results = [
        entry(f"login_median_{FIRST}_shops", few["login"], "ms"),
        entry(f"login_median_{SHOPS}_shops", many["login"], "ms"),
        at_most(f"login_ratio_{SHOPS}_vs_{FIRST}_shops", many["login"] / few["login"], "x", 1.2, note),
        entry(
            f"sync_median_{FIRST}_shops",
            few["sync"],
            "ms",
            note="a fresh phone pushes 20 docs + another pulls a 100-doc shop",
        ),
        entry(f"sync_median_{SHOPS}_shops", many["sync"], "ms"),
        entry(
            f"sync_first_{SHOPS}_shops",
            big.syncs[0],
            "ms",
            note="one sample: the first round's sync, its two shops idle since provisioning "
            "(closed by the LRU when SHOPS > max_dbs_open: reopened, VDU compiled again)",
        ),
        at_most(f"sync_ratio_{SHOPS}_vs_{FIRST}_shops", many["sync"] / few["sync"], "x", 1.2, note),
        entry(
            f"provision_per_shop_{SHOPS}_shops",
            provision_ms,
            "ms",
            note=f"user, db, security, design docs, indexes, 20 docs; {CONCURRENCY} at a time; {load}",
        ),
    ]
    if srv.pid:
        results += [
            entry(f"server_rss_{FIRST}_shops", rss_few, "MB"),
            entry(
                f"server_rss_{SHOPS}_shops",
                rss_many,
                "MB",
                note="RSS of the node process after the rounds (V8 heap and LevelDB caches)",
            ),
            entry(f"server_open_files_{FIRST}_shops", fds_few, "fds"),
            entry(
                f"server_open_files_{SHOPS}_shops",
                fds_many,
                "fds",
                note="the server's LRU of open databases bounds this (max_dbs_open 100, "
                "~20 fds per open shop: its db and 3-4 index dbs)",
            ),
        ]
    return results


def main(shared: Bench | None = None) -> list[dict[str, Any]]:
    if shared:
        return run(shared.srv, shared.work, shared.api, shared.sms_file, shared.owners)
    with (
        tempfile.TemporaryDirectory(prefix="bench_shops_") as tmp,
        server(Path(tmp)) as srv,
        services_app(srv, Path(tmp)) as (api, sms_file),
    ):
        return run(srv, Path(tmp), api, sms_file)


if __name__ == "__main__":
    from bench.run import report

    report(main())
