"""The load run: phones of many shops syncing (real PouchDB), logins of other accounts at a fixed
rate and customer-history queries, all at once against one server and one services process.
Samples the CPU and memory of both processes from /proc; returns the figures."""

from __future__ import annotations

import queue
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.utils.live_accounts import live_login, live_signup
from tests.utils.live_services import LiveServices
from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_client import SyncClient

BATCH = 10  # docs a phone makes between two syncs
CLOCK_TICKS = 100  # os.sysconf("SC_CLK_TCK") on Linux


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds (nearest rank)."""
    if not samples:
        return {}
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "n": len(ordered),
        "p50_ms": round(pick(0.50) * 1000, 1),
        "p95_ms": round(pick(0.95) * 1000, 1),
        "p99_ms": round(pick(0.99) * 1000, 1),
    }


class ProcessSampler(threading.Thread):
    """CPU (% of one core, averaged per interval) and resident memory of a process tree's root."""

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.stop = pid, interval, threading.Event()
        self.cpu: list[float] = []
        self.rss_mb: list[float] = []

    def _ticks(self) -> int:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def _rss(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def run(self) -> None:
        last, at = self._ticks(), time.monotonic()
        while not self.stop.wait(self.interval):
            try:
                ticks, now = self._ticks(), time.monotonic()
            except FileNotFoundError:
                return  # the process is gone (the test is ending)
            self.cpu.append(100 * (ticks - last) / CLOCK_TICKS / (now - at))
            self.rss_mb.append(self._rss())
            last, at = ticks, now

    def figures(self) -> dict[str, float]:
        return {
            "cpu_avg_pct": round(sum(self.cpu) / max(len(self.cpu), 1), 1),
            "cpu_peak_pct": round(max(self.cpu, default=0), 1),
            "rss_peak_mb": round(max(self.rss_mb, default=0), 1),
        }


@dataclass
class Shop:
    phone: SyncClient
    login: dict[str, Any]
    docs: list[dict[str, Any]]
    customer: str
    made: int = 0
    sync_seconds: list[float] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)


def make_shops(services: LiveServices, http: httpx.Client, workdir: Path, count: int, docs_per_shop: int) -> list[Shop]:
    shops = []
    for n in range(count):
        answer = live_login(http, live_signup(services, http), f"load-{n}").json()
        phone = SyncClient(workdir / f"phone-{n}")
        phone.save_session(answer)
        docs = ShopDocs(seed=n, device_id=f"load-{n}", series=answer["invoice_series"]).days(3, total=docs_per_shop)
        customer = next(d["customer_phone"] for d in docs if d.get("customer_phone"))
        shops.append(Shop(phone, answer, docs, customer))
    return shops


def phone_loop(shop: Shop, until: float) -> None:
    """Make a batch of docs offline, sync, repeat until `until` (a phone in a busy shop)."""
    while time.monotonic() < until and shop.made < len(shop.docs):
        shop.phone.create(shop.docs[shop.made : shop.made + BATCH])
        shop.made = min(shop.made + BATCH, len(shop.docs))
        start = time.monotonic()
        report = shop.phone.sync()
        shop.sync_seconds.append(time.monotonic() - start)
        if report["status"] != "complete" or report["denied"]:
            shop.failures.append(report)


def outcome(what: str, r: httpx.Response) -> str:
    """`login 200`, or with the error code: `history 503 couchdb_unavailable`."""
    return f"{what} {r.status_code}" + ("" if r.status_code < 300 else f" {r.json().get('error')}")


def paced(until: float, per_second: float, action) -> int:
    """Start `action(i)` at a fixed rate until `until`, each in its own thread (an open loop:
    a slow answer does not slow the arrivals down), wait for all of them; return how many."""
    started: list[threading.Thread] = []
    i, start = 0, time.monotonic()
    while time.monotonic() < until:
        thread = threading.Thread(target=action, args=(i,))
        thread.start()
        started.append(thread)
        i += 1
        time.sleep(max(0.0, start + i / per_second - time.monotonic()))
    for thread in started:
        thread.join(120)
    return len(started)


def machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run_load(
    *,
    server_pid: int,
    services: LiveServices,
    workdir: Path,
    phones: int,
    seconds: float,
    logins_per_second: float = 2.0,
    history_per_second: float = 4.0,
    login_accounts: int = 8,
) -> dict[str, Any]:
    """Run the load and return its figures (statuses, latencies, CPU, memory, doc counts)."""
    statuses: Counter[str] = Counter()
    login_s: list[float] = []
    history_s: list[float] = []
    with httpx.Client(base_url=services.url, timeout=60) as http:
        # Each account logs in again only every login_accounts / logins_per_second seconds.
        shops = make_shops(services, http, workdir, phones, docs_per_shop=int(seconds * 8) + 50)
        others = [live_signup(services, http) for _ in range(login_accounts)]
        samplers = [ProcessSampler(server_pid), ProcessSampler(services.process.pid)]
        for sampler in samplers:
            sampler.start()
        busy0, total0 = machine_cpu()
        until = time.monotonic() + seconds

        idle: queue.Queue[dict[str, Any]] = queue.Queue()
        for account in others:
            idle.put(account)

        def log_in(i: int) -> None:
            # An owner logs in on one phone at a time: an account whose login is still in
            # flight is not used again (two at once would rightly race, see test_session.py).
            try:
                account = idle.get(timeout=120)
            except queue.Empty:
                statuses["login not started: every account busy for 120 s"] += 1
                return
            start = time.monotonic()
            r = live_login(http, account, f"other-{i}")
            login_s.append(time.monotonic() - start)
            idle.put(account)
            statuses[outcome("login", r)] += 1

        def history(i: int) -> None:
            shop = shops[i % len(shops)]
            start = time.monotonic()
            r = http.get(
                f"/v1/customers/{shop.customer}/history",
                headers={"Authorization": f"Bearer {shop.login['access_token']}"},
            )
            history_s.append(time.monotonic() - start)
            statuses[outcome("history", r)] += 1

        threads = [threading.Thread(target=phone_loop, args=(shop, until)) for shop in shops]
        # Arrivals offered: with many phones the pacers start a moment late, so fewer than
        # `seconds * rate` may fit before `until`; each offered request must be answered.
        offered: Counter[str] = Counter()

        def offer(name: str, per_second: float, action) -> None:
            offered[name] = paced(until, per_second, action)

        threads += [
            threading.Thread(target=offer, args=("login", logins_per_second, log_in)),
            threading.Thread(target=offer, args=("history", history_per_second, history)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 300)
        for sampler in samplers:
            sampler.stop.set()
        busy1, total1 = machine_cpu()
    synced = [s for shop in shops for s in shop.sync_seconds]
    return {
        "phones": phones,
        "seconds": seconds,
        "offered": dict(offered),
        "statuses": dict(statuses),
        "docs_made": sum(shop.made for shop in shops),
        "syncs": len(synced),
        "sync_failures": [f for shop in shops for f in shop.failures],
        "latency": {
            "login": percentiles(login_s),
            "history": percentiles(history_s),
            "sync_round": percentiles(synced),
        },
        "couchdb_server": samplers[0].figures(),
        "services": samplers[1].figures(),
        "machine_cpu_busy_pct": round(100 * (busy1 - busy0) / max(total1 - total0, 1), 1),
        # How the services' CouchDB calls failed (httpcore's DEBUG lines), when some did.
        "couch_call_failures": dict(Counter(re.findall(r"\.failed exception=(\w+)", services.logs()))),
        "services_errors": [line for line in services.logs().splitlines() if " ERROR " in line or "Traceback" in line][
            :5
        ],
        "shops": shops,
    }
