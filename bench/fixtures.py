"""What every benchmark needs: a server (embedded, or COUCHDB_URL), shops, phones, and results.

Results are bench/results.json entries {name, value, unit, target, ok}, the format of
bench/bench_history.py (whose `save` merges them by name). A ratio is always taken against a
baseline measured in the same run, repeated, medians: the machine is shared and noisy.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from shopbill.services.billing.business import provision_business
from shopbill.services.core.config import load_settings
from shopbill.services.core.names import SYSTEM_DBS, shop_db
from shopbill.services.couch import Couch
from shopbill.services.errors import DistNotFound
from shopbill.services.identity.credentials import couch_username
from shopbill.services.ops.apache_couchdb import ApacheCouchDB, dist_dir, find_release
from shopbill.services.ops.design_docs import DESIGN_DOC_ID
from shopbill.services.ops.embedded import EmbeddedServer
from tests.utils.shop_docs import IST, ShopDocs

ROOT = Path(__file__).resolve().parents[1]
POUCH_BENCH = ROOT / "bench" / "pouch_bench.js"
QUICK = os.environ.get("QUICK") == "1"
SMOKE = os.environ.get("BENCH_SMOKE") == "1"  # a few docs, seconds: checks the format only


def entry(
    name: str,
    value: float | None,
    unit: str,
    target: float | None = None,
    ok: bool | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """One results.json entry; `note` says why a target was missed or what was measured."""
    rounded = None if value is None else float(f"{value:.4g}")
    row = {"name": name, "value": rounded, "unit": unit, "target": target, "ok": ok}
    if note:
        row["note"] = note
    return row


def on_engine(results: list[dict[str, Any]], engine: str) -> list[dict[str, Any]]:
    """`results` measured on `engine` ("embedded" or "couchdb"): each names it in an `engine`
    field, and Apache CouchDB's names end with `_couchdb` (the embedded names stay as they were)."""
    suffix = "" if engine == "embedded" else f"_{engine}"
    return [{**r, "name": r["name"] + suffix, "engine": engine} for r in results]


def at_most(name: str, value: float, unit: str, target: float, note: str = "") -> dict[str, Any]:
    """An entry with an upper-bound target; a miss says so in its note."""
    ok = value <= target
    return entry(name, value, unit, target, ok, note if ok else f"MISSED: {note}".rstrip(": "))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


@dataclass
class Server:
    """The CouchDB-protocol server under test, as its admin sees it."""

    url: str
    admin_user: str
    admin_password: str
    pid: int | None  # the embedded node process (None for an external COUCHDB_URL)

    def admin(self, timeout: float = 600) -> httpx.Client:
        return httpx.Client(base_url=self.url, auth=(self.admin_user, self.admin_password), timeout=timeout)

    def env(self) -> dict[str, str]:
        return {
            "COUCHDB_URL": self.url,
            "COUCHDB_ADMIN_USER": self.admin_user,
            "COUCHDB_ADMIN_PASSWORD": self.admin_password,
            "COUCHDB_TIMEOUT": "60",
        }

    def couch(self) -> Couch:
        return Couch(load_settings(self.env()))


@contextmanager
def server(work: Path) -> Iterator[Server]:
    """The server named by COUCHDB_URL (with COUCHDB_ADMIN_USER/PASSWORD), else a new embedded one."""
    if os.environ.get("COUCHDB_URL"):
        yield Server(
            os.environ["COUCHDB_URL"].rstrip("/"),
            os.environ.get("COUCHDB_ADMIN_USER", "admin"),
            os.environ["COUCHDB_ADMIN_PASSWORD"],
            None,
        )
        return
    embedded = EmbeddedServer(
        data_dir=work / "couchdb",
        admin_user="admin",
        admin_password=secrets.token_urlsafe(16),
        secret=secrets.token_hex(32),
    )
    embedded.start()
    try:
        yield Server(embedded.url, embedded.admin_user, embedded.admin_password, embedded.process.pid)
    finally:
        embedded.stop()


@contextmanager
def apache_server(work: Path) -> Iterator[Server | None]:
    """A new Apache CouchDB node from the build services.apache_couchdb finds (COUCHDB_DIST, default
    ../shared/couchdb), with its system databases; None when there is no build."""
    try:
        find_release(dist_dir())
    except DistNotFound:
        yield None
        return
    node = ApacheCouchDB(data_dir=work, admin_user="admin", admin_password=secrets.token_urlsafe(16))
    node.start()
    try:
        srv = Server(node.url, node.admin_user, node.admin_password, node.process.pid)
        with srv.admin() as admin:
            for db in SYSTEM_DBS:
                r = admin.put(f"/{db}")
                assert r.status_code in (201, 202, 412), (db, r.status_code, r.text)
        yield srv
    finally:
        node.stop()


BUSINESS = {
    "name": "Bench Auto Spares",
    "owner_name": "Bench Owner",
    "category": "automobile",
    "phone": "+919800000001",
}


def make_shop(srv: Server, *, vdu: bool = True) -> dict[str, str]:
    """A provisioned business (as signup makes it) and its device credentials (as login gives them).

    With `vdu=False` the validation design doc is removed: everything else is the same.
    """

    async def provision() -> dict[str, str]:
        couch = srv.couch()
        try:
            return await provision_shop(couch, srv.url, vdu=vdu)
        finally:
            await couch.aclose()

    return asyncio.run(provision())


async def provision_shop(
    couch: Couch, url: str, *, vdu: bool = True, docs: list[dict[str, Any]] | None = None
) -> dict[str, str]:
    """`make_shop` on an open Couch; `docs` are then written as admin (judged by the VDU)."""
    business_id = uuid.uuid4().hex
    username, password = couch_username(business_id), secrets.token_urlsafe(24)
    db = shop_db(business_id)
    await couch.request(
        "PUT",
        f"/_users/org.couchdb.user:{username}",
        json={
            "_id": f"org.couchdb.user:{username}",
            "name": username,
            "type": "user",
            "roles": [],
            "password": password,
        },
    )
    await provision_business(couch, business_id=business_id, vdu_target="mango", business=BUSINESS)
    if not vdu:
        ddoc = await couch.get_doc(db, DESIGN_DOC_ID)
        await couch.request("DELETE", f"/{db}/{DESIGN_DOC_ID}", params={"rev": ddoc["_rev"]})
    if docs:
        rows = (await couch.request("POST", f"/{db}/_bulk_docs", json={"docs": docs})).json()
        assert not [r for r in rows if "error" in r], rows[:2]
    return {"url": url, "db": db, "username": username, "password": password}


def plain_db(srv: Server, docs: list[dict[str, Any]]) -> dict[str, str]:
    """A database with no security and no design doc holding `docs`, with admin credentials."""
    name = f"bench_plain_{uuid.uuid4().hex[:10]}"
    with srv.admin() as admin:
        assert admin.put(f"/{name}").status_code in (201, 202)
        for i in range(0, len(docs), 2000):
            rows = admin.post(f"/{name}/_bulk_docs", json={"docs": docs[i : i + 2000]}).json()
            assert not [r for r in rows if "error" in r], rows[:2]
    return {"url": srv.url, "db": name, "username": srv.admin_user, "password": srv.admin_password}


def shop_docs(count: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """`count` realistic docs of one phone: catalogue, then sales, invoices and payments."""
    start = datetime(2026, 4, 1, 9, 30, tzinfo=IST) + timedelta(days=seed % 30)
    return ShopDocs(seed=seed, series=f"B{seed % 100}").days(max(1, count // 40), total=count, start=start)


class Phones:
    """Fresh simulated phones (each its own local PouchDB) under one work directory."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.docs_files: dict[int, tuple[list[dict[str, Any]], Path]] = {}

    def docs_file(self, docs: list[dict[str, Any]]) -> Path:
        """A file of `docs`, written once per list (the list is kept, so its id stays unique)."""
        if id(docs) not in self.docs_files:
            path = self.work / f"docs_{len(self.docs_files)}.json"
            path.write_text(json.dumps(docs))
            self.docs_files[id(docs)] = (docs, path)
        return self.docs_files[id(docs)][1]

    def run(
        self, mode: str, remote: dict[str, str], docs: list[dict[str, Any]] | None = None, timeout: float = 1800
    ) -> dict[str, Any]:
        """One timed push (of `docs`) or pull by a fresh phone; its report ({seconds, ...})."""
        request = {"dir": tempfile.mkdtemp(prefix=f"{mode}_", dir=self.work), "remote": remote}
        if docs is not None:
            request["docs_file"] = str(self.docs_file(docs))
        out = subprocess.run(
            ["node", str(POUCH_BENCH), mode],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
        )
        if out.returncode != 0:
            raise RuntimeError(f"pouch_bench {mode}: {out.stderr.strip()}")
        report = json.loads(out.stdout)
        expected = len(docs) if docs is not None else None
        if report["doc_write_failures"] or (expected and report["docs_written"] != expected):
            raise RuntimeError(f"{mode}: {report}")
        return report


def timed(call: Any) -> float:
    """Milliseconds `call()` took."""
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


@contextmanager
def services_app(srv: Server, work: Path) -> Iterator[tuple[Any, Path]]:
    """The services app in this process (so its functions can be timed) and its SMS file."""
    from fastapi.testclient import TestClient

    from shopbill.services.api.main import create_app

    sms_file = work / "sms.jsonl"
    settings = load_settings(
        {
            **srv.env(),
            "SECRET_KEY": secrets.token_hex(24),
            "SMS_BACKEND": f"file:{sms_file}",
            "VDU_TARGET": "mango",
            "OTP_RESEND_SECONDS": "0",
            "OTP_PER_IP_PER_HOUR": "1000000",
            "OTP_PER_PHONE_PER_HOUR": "1000",
        }
    )
    with TestClient(create_app(settings)) as api:
        yield api, sms_file


@dataclass
class Bench:
    """What the benchmarks of one QUICK run share: one server, its services app, signed-up owners."""

    srv: Server
    work: Path
    api: Any
    sms_file: Path
    owners: list[str]  # phones signed up (password "bench-pass-1"), oldest first


@contextmanager
def shared_bench(work: Path) -> Iterator[Bench]:
    """A server and the services app over it, for several benchmarks in turn."""
    with server(work) as srv, services_app(srv, work) as (api, sms_file):
        yield Bench(srv, work, api, sms_file, [])


def signup(api: Any, sms_file: Path, phone: str, password: str = "bench-pass-1") -> float:
    """Sign `phone` up through the API; returns the ms `POST /v1/signup/complete` took."""
    from tests.utils.accounts import last_otp

    assert api.post("/v1/signup/otp", json={"phone": phone}).status_code == 202
    r = api.post("/v1/signup/verify", json={"phone": phone, "otp": last_otp(sms_file, phone)})
    assert r.status_code == 200, r.text
    body = {
        "signup_token": r.json()["signup_token"],
        "password": password,
        "owner_name": "Bench",
        "business": {"name": "Bench Auto", "category": "automobile"},
    }
    began = time.perf_counter()
    r = api.post("/v1/signup/complete", json=body)
    took = (time.perf_counter() - began) * 1000
    assert r.status_code == 201, r.text
    return took


def login(api: Any, phone: str, password: str = "bench-pass-1") -> tuple[float, dict[str, Any]]:
    """`POST /v1/login`; (ms it took, the answer)."""
    began = time.perf_counter()
    r = api.post("/v1/login", json={"phone": phone, "password": password, "device_id": "dev-bench"})
    took = (time.perf_counter() - began) * 1000
    assert r.status_code == 200, r.text
    return took, r.json()


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by process `root` and its live descendants (Apache CouchDB's
    Erlang VM under its launcher, the JavaScript engines it starts): on a shared machine a
    figure the load inflates far less than wall time."""
    procs: dict[int, tuple[int, int]] = {}
    for entry_name in os.listdir("/proc"):
        if entry_name.isdigit():
            try:
                fields = Path(f"/proc/{entry_name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # exited meanwhile
                continue
            procs[int(entry_name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in procs.items():
        children.setdefault(parent, []).append(pid)
    ticks, todo = 0, [root]
    while todo:
        pid = todo.pop()
        ticks += procs.get(pid, (0, 0))[1]
        todo += children.get(pid, [])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid`, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))
