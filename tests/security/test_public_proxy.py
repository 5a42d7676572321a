"""The public origin (couchdb/Caddyfile, run by a real Caddy) forwards to CouchDB only what a
phone uses. Everything else, `/_replicate` (SSRF: CouchDB lets any signed-in user make it fetch
any URL) first, is answered by the proxy itself, whatever its spelling or method; a phone still
signs up, logs in, signs in by cookie and syncs through it."""

from __future__ import annotations

import base64
import http.client
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopbill.services.ops.embedded import free_port
from tests.utils.accounts import login, signup
from tests.utils.couch import ENGINE, CouchTarget
from tests.utils.live_services import LiveServices
from tests.utils.public_proxy import CADDY, REFUSAL, PublicProxy
from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_checks import server_docs
from tests.utils.sync_client import SyncClient

pytestmark = pytest.mark.skipif(not CADDY.exists(), reason="needs Debian's caddy (make deps)")

DB = "{db}"  # the phone's own shop database, filled in per test
REFUSED = [
    # Server-side replication and its scheduler: the SSRF itself, spelled every way.
    ("POST", "/_replicate"),
    ("POST", "/%5Freplicate"),
    ("POST", "/%5freplicate"),
    ("POST", "/_REPLICATE"),
    ("POST", "/_replicate/"),
    ("POST", "//_replicate"),
    ("POST", "/./_replicate"),
    ("POST", f"/{DB}/../_replicate"),
    ("POST", f"/{DB}/..%2F_replicate"),
    ("POST", f"/{DB}/%2E%2E/_replicate"),
    ("POST", "/_replicate?x=1"),
    ("POST", "{origin}/_replicate"),
    ("GET", "/_replicator/_all_docs"),
    ("PUT", "/_replicator/job"),
    ("GET", "/_scheduler/jobs"),
    ("GET", "/_scheduler/docs"),
    # Node, config and server-wide listings.
    ("GET", "/_node/_local/_config"),
    ("GET", "/_node/_local/_stats"),
    ("GET", "/_config"),
    ("GET", "/_all_dbs"),
    ("GET", "/_dbs_info"),
    ("POST", "/_dbs_info"),
    ("GET", "/_db_updates"),
    ("GET", "/_active_tasks"),
    ("GET", "/_membership"),
    ("GET", "/_uuids"),
    ("GET", "/_up"),
    ("POST", "/_cluster_setup"),
    ("POST", "/_restart"),
    ("GET", "/_global_changes/_changes"),
    # Other databases: users, the services' own.
    ("GET", "/_users/_all_docs"),
    ("GET", "/_users/org.couchdb.user:x"),
    ("GET", "/svc_otp/_all_docs"),
    ("GET", "/svc_accounts"),
    ("PUT", "/biz_new"),
    ("GET", "/BIZ_X/"),
    # Inside the shop database: what replication never uses, and path tricks.
    ("GET", f"/{DB}/_design/vdu"),
    ("GET", f"/{DB}/_design%2Fvdu"),
    ("GET", f"/{DB}/%5Fdesign/vdu"),
    ("GET", f"/{DB}/_security"),
    ("PUT", f"/{DB}/_security"),
    ("POST", f"/{DB}/_find"),
    ("POST", f"/{DB}/_index"),
    ("POST", f"/{DB}/_purge"),
    ("POST", f"/{DB}/_compact"),
    ("GET", f"/{DB}/_design_docs"),
    ("GET", f"/{DB}/_local_docs"),
    ("GET", f"/{DB}/_shards"),
    ("POST", f"/{DB}/_all_docs/queries"),
    ("GET", f"/{DB}/_changes/"),
    ("GET", f"/{DB}/_CHANGES"),
    ("GET", f"/{DB}//_changes"),
    ("GET", f"/{DB}/_all_docs+"),
    ("GET", f"/{DB}/a+b"),
    ("GET", f"/{DB}/%5Flocal/x"),
    ("GET", f"/{DB}/..%2F_all_dbs"),
    ("GET", f"/{DB}/_local/x/y"),
    ("DELETE", f"/{DB}"),
    ("PUT", f"/{DB}"),
    ("POST", f"/{DB}"),
    ("PUT", f"/{DB}/doc"),
    ("DELETE", f"/{DB}/doc"),
    ("COPY", f"/{DB}/doc"),
    ("DELETE", f"/{DB}/_local/x"),
    ("GET", f"/{DB}/doc/attachment"),
    ("OPTIONS", f"/{DB}/_changes"),
    ("PATCH", "/_session"),
    ("DELETE", "/"),
    ("POST", "/"),
    ("TRACE", "/"),
]


# What the allow-list forwards inside a shop database ("GET" alone: the server's welcome or the
# database's info).
PHONE_REQUESTS = {
    "GET",
    "GET _local",
    "PUT _local",
    "GET _changes",
    "POST _changes",
    "POST _revs_diff",
    "POST _bulk_docs",
    "POST _bulk_get",
    "GET _all_docs",
    "POST _all_docs",
}


class Canary(http.server.ThreadingHTTPServer):
    """A loopback HTTP server that records every request: where a reached `/_replicate` would
    make CouchDB connect."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_any(self) -> None:
                canary.hits.append(f"{self.command} {self.path}")
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD = do_POST = do_PUT = do_any

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    """A running canary; its hits are the test's evidence that no replication was started."""
    server = Canary()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def stack(couch: CouchTarget, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PublicProxy, LiveServices]]:
    """Caddy with the project's Caddyfile in front of the server under test and the services,
    which hand out the proxy's address to phones (as PUBLIC_COUCHDB_URL does in production)."""
    work = tmp_path_factory.mktemp("public-proxy")
    services_port = free_port()
    proxy = PublicProxy(couch.url, services_port, work / "caddy")
    services = LiveServices(
        couch.url,
        couch.admin_user,
        couch.admin_password,
        work / "services",
        env={"PUBLIC_COUCHDB_URL": proxy.url},
        port=services_port,
    )
    services.start()
    try:
        proxy.start()
        yield proxy, services
    finally:
        proxy.stop()
        services.stop()


@pytest.fixture(scope="module")
def shop(stack: tuple[PublicProxy, LiveServices]) -> dict[str, Any]:
    """An owner signed up and logged in through the proxy: the login's answer."""
    proxy, services = stack
    with httpx.Client(base_url=proxy.url, timeout=60) as client:
        return login(client, signup(client, services.sms_file), "proxy-phone")  # type: ignore[arg-type]


def raw_request(
    proxy: PublicProxy, method: str, target: str, *, auth: tuple[str, str], body: dict[str, Any] | None = None
) -> tuple[int, bytes]:
    """Send `target` exactly as written (no client-side normalisation of the path)."""
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
    try:
        basic = base64.b64encode(":".join(auth).encode()).decode()
        headers = {"Authorization": f"Basic {basic}", "Content-Type": "application/json"}
        conn.request(method, target, body=json.dumps(body or {}), headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def phone_auth(shop: dict[str, Any]) -> tuple[str, str]:
    """The CouchDB credentials the phone got at login (Basic auth, as PouchDB sends them)."""
    return shop["couchdb"]["username"], shop["couchdb"]["password"]


@pytest.mark.parametrize(("method", "path"), REFUSED, ids=[f"{m} {p}" for m, p in REFUSED])
def test_the_proxy_answers_what_a_phone_never_needs_itself(stack, shop, canary, method, path):
    proxy, _ = stack
    target = path.format(db=shop["couchdb"]["db"], origin=proxy.url)
    replication = {"source": f"{canary.url}/source", "target": f"{canary.url}/target"}

    status, body = raw_request(proxy, method, target, auth=phone_auth(shop), body=replication)

    assert (status, json.loads(body)) == (404, REFUSAL), body  # the proxy's answer, not CouchDB's
    assert canary.hits == []


@pytest.mark.skipif(ENGINE != "couchdb", reason="the SSRF is Apache CouchDB's")
def test_straight_to_couchdb_the_same_replicate_does_reach_the_canary(couch, shop, canary):
    """The control: without the proxy, the phone's credentials make CouchDB connect out."""
    with couch.client(auth=phone_auth(shop)) as phone:
        phone.post("/_replicate", json={"source": f"{canary.url}/ssrf", "target": f"{canary.url}/t"})
    assert any("/ssrf" in hit for hit in canary.hits)
    canary.hits.clear()


def test_a_phone_syncs_through_the_proxy_and_resumes_from_its_checkpoint(
    stack, shop, admin: httpx.Client, tmp_path: Path
):
    proxy, _ = stack
    assert shop["couchdb"]["url"] == proxy.url  # the address the login handed out
    phone = SyncClient(tmp_path / "phone")
    phone.save_session(shop)
    docs = ShopDocs(seed=41, device_id="proxy-phone", series=shop["invoice_series"]).days(1, total=12)
    phone.create(docs[:-2])

    first = phone.sync()
    phone.create(docs[-2:])
    second = phone.sync()

    assert first["status"] == "complete" and first["denied"] == [], first
    assert first["push"]["docs_written"] == len(docs) - 2
    assert "business" in phone.dump()  # pulled: the profile the signup wrote
    assert second["status"] == "complete" and second["push"]["docs_written"] == 2, second
    assert {doc["_id"] for doc in docs} <= set(server_docs(admin, shop["couchdb"]["db"]))
    # Resumed from the checkpoint it saved through the proxy (`_local`), not from the start.
    assert "0" not in second["http"]["changes_since"], second["http"]
    # Every kind of request PouchDB made is on the allow-list (keys: "METHOD endpoint").
    used = set(first["http"]["counts"]) | set(second["http"]["counts"])
    assert used <= PHONE_REQUESTS, used - PHONE_REQUESTS


def test_cookie_sign_in_and_the_welcome_work_through_the_proxy(stack, shop):
    proxy, _ = stack
    name, password = phone_auth(shop)
    with httpx.Client(base_url=proxy.url, timeout=30) as phone:
        assert phone.post("/_session", json={"name": name, "password": password}).status_code == 200
        assert phone.get("/_session").json()["userCtx"]["name"] == name
        assert phone.get(f"/{shop['couchdb']['db']}/").json()["db_name"] == shop["couchdb"]["db"]
        assert phone.delete("/_session").status_code == 200
    with httpx.Client(base_url=proxy.url, timeout=30, auth=(name, password)) as phone:
        welcome = phone.get("/")
        assert welcome.status_code == 200 and "version" in welcome.json(), welcome.text
        assert phone.get("/healthz").status_code == 200  # the services, same origin
        assert phone.get("/app/").headers["content-type"].startswith("text/html")


def test_fauxton_is_only_forwarded_to_the_admin_networks(stack):
    proxy, _ = stack  # ADMIN_CIDRS is 127.0.0.2/32 here
    with httpx.Client(base_url=proxy.url, timeout=30) as outsider:
        assert outsider.get("/_utils/").status_code == 403
    inside = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=proxy.url, timeout=30, transport=inside) as admin_network:
        answer = admin_network.get("/_utils/")
        assert answer.status_code != 403 and answer.content != json.dumps(REFUSAL).encode()
        assert admin_network.post("/_replicate", json={}).json() == REFUSAL  # still the allow-list
