"""The embedded server's fixed defects, shown on upstream PouchDB Server 4.2.0 (slow: installs it).

Upstream pouchdb-server 4.2.0 (the release couchdb/embedded/server/ was taken from) is installed
with `npm ci --ignore-scripts` from the lockfile in tests/embedded/pristine/ into a temporary folder; each check starts
it fresh and sends the key request of one defect regression test. This proves those tests test
something: here the old behaviour shows, while tests/embedded/test_defect_*.py assert CouchDB's
against our server.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from shopbill.services.ops.embedded import free_port
from tests.embedded.conftest import limit_open_files

pytestmark = pytest.mark.slow

PRISTINE = Path(__file__).parent / "pristine"
ADMIN = ("admin", "adminpass")
BOUND_S = 10.0


@pytest.fixture(scope="module")
def pristine_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    root = tmp_path_factory.mktemp("pristine")
    for name in ("package.json", "package-lock.json"):
        shutil.copy(PRISTINE / name, root / name)
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return root / "node_modules" / "pouchdb-server" / "bin" / "pouchdb-server"


class Pristine:
    """One upstream server process with an admin, `user1` (member of `db1`) and `user2`."""

    def __init__(self, binary: Path, data_dir: Path, config: dict | None = None) -> None:
        self.binary, self.data_dir, self.port = binary, data_dir, free_port()
        data_dir.mkdir(parents=True, exist_ok=True)
        self.config = data_dir / "config.json"
        self.config.write_text(json.dumps(config or {"admins": {"admin": "adminpass"}}))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with open(self.data_dir / "server.out", "ab") as out:
            self.process = subprocess.Popen(
                [
                    "node",
                    str(self.binary),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--dir",
                    str(self.data_dir),
                    "--config",
                    str(self.config),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/_session", auth=ADMIN, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("pristine server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def died(self) -> bool:
        """True if the process exits within the bound."""
        assert self.process is not None
        try:
            self.process.wait(timeout=BOUND_S)
        except subprocess.TimeoutExpired:
            return False
        return True

    def client(self, auth: tuple[str, str] | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.url, auth=auth, timeout=5)

    def seed(self) -> None:
        with self.client(ADMIN) as admin:
            for name in ("user1", "user2"):
                admin.put(
                    f"/_users/org.couchdb.user:{name}",
                    json={"name": name, "password": "pw", "roles": [], "type": "user"},
                )
            admin.put("/db1")
            admin.put("/db1/_security", json={"members": {"names": ["user1"]}})
            admin.put("/db1/d1", json={"secret": True})


@pytest.fixture
def pristine(pristine_bin: Path, tmp_path: Path) -> Iterator[Callable[..., Pristine]]:
    servers: list[Pristine] = []

    def start(config: dict | None = None) -> Pristine:
        server = Pristine(pristine_bin, tmp_path / f"s{len(servers)}", config)
        servers.append(server)
        server.start()
        server.seed()
        return server

    yield start
    for server in servers:
        server.stop()


def quietly(request: Callable[[], object]) -> None:
    try:
        request()
    except httpx.HTTPError:
        pass  # the process died mid-request


def test_01_non_admin_put_db_kills_it(pristine) -> None:
    server = pristine()
    quietly(lambda: server.client().put("/newdb"))
    assert server.died()


def test_02_non_admin_delete_db_kills_it(pristine) -> None:
    """The refused DELETE leaves the global db promise chain rejected: the next open dies."""
    server = pristine()
    quietly(lambda: server.client().delete("/db1"))
    quietly(lambda: server.client(ADMIN).get("/db1/d1"))
    assert server.died()


def test_03_selector_changes_kills_it(pristine) -> None:
    server = pristine()
    quietly(
        lambda: server.client(("user1", "pw")).post(
            "/db1/_changes", params={"filter": "_selector"}, json={"selector": {"_id": "d1"}}
        )
    )
    assert server.died()


def test_04_anonymous_find_reads_everything(pristine) -> None:
    with pristine().client() as anon:
        r = anon.post("/db1/_find", json={"selector": {"_id": {"$gt": None}}})
    assert r.status_code == 200 and r.json()["docs"][0]["_id"] == "d1"


def test_05_user_gives_itself_roles(pristine) -> None:
    with pristine().client(("user1", "pw")) as me:
        doc = me.get("/_users/org.couchdb.user:user1").json()
        assert me.put("/_users/org.couchdb.user:user1", json={**doc, "roles": ["dbowner"]}).status_code == 201
        assert me.get("/_session").json()["userCtx"]["roles"] == ["dbowner"]


def test_07_anonymous_all_dbs_and_open_dbs(pristine) -> None:
    server = pristine()
    with server.client(ADMIN) as admin:
        admin.put("/db0")
    with server.client() as anon:
        assert anon.get("/_all_dbs").status_code == 200
        assert anon.put("/db0/doc", json={}).status_code == 201


def test_08_non_member_gets_401(pristine) -> None:
    with pristine().client(("user2", "pw")) as outsider:
        assert outsider.get("/db1/d1").status_code == 401


def test_11_bulk_docs_errors_come_first(pristine) -> None:
    server = pristine()
    vdu = "function (d) { if (d.refuse) { throw({forbidden: 'no'}); } }"
    with server.client(ADMIN) as admin:
        admin.put("/db1/_design/v", json={"validate_doc_update": vdu})
        rows = admin.post("/db1/_bulk_docs", json={"docs": [{"_id": "a"}, {"_id": "b", "refuse": True}]}).json()
    assert [row["id"] for row in rows] == ["b", "a"]


def test_12_runs_out_of_files(pristine_bin: Path, tmp_path: Path) -> None:
    server = Pristine(pristine_bin, tmp_path / "s")
    server.start()
    assert server.process is not None
    limit_open_files(server.process.pid, 128)
    try:
        with server.client(ADMIN) as admin:
            statuses = set()
            for i in range(60):
                statuses |= {admin.put(f"/biz_{i}").status_code, admin.put(f"/biz_{i}/sale", json={}).status_code}
        assert statuses - {201}, "60 dbs fit in 128 open files"
    finally:
        server.stop()


def test_13_sessions_die_with_a_restart(pristine) -> None:
    server = pristine()
    r = httpx.post(f"{server.url}/_session", json={"name": "user1", "password": "pw"})
    cookie = r.cookies["AuthSession"]
    server.stop()
    server.start()
    r = httpx.get(f"{server.url}/_session", cookies={"AuthSession": cookie})
    assert r.json()["userCtx"]["name"] is None


def test_14_design_doc_js_reaches_the_process(pristine) -> None:
    vdu = "function () { if (typeof process === 'object') { throw({forbidden: 'process reachable'}); } }"
    with pristine().client(ADMIN) as admin:
        admin.put("/db1/_design/probe", json={"validate_doc_update": vdu})
        r = admin.put("/db1/any", json={})
    assert r.status_code == 403 and "process reachable" in r.text
