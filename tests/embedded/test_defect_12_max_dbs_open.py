"""Defect 12: PouchDB Server kept every database open for good (~4 file descriptors each), so
with `ulimit -n 1024` it failed at ~250 databases (`OpenError ... Too many open files`).

Fixed like CouchDB's `max_dbs_open`: idle databases are closed, least recently used first.
Each database here gets what a business db gets: `_security`, a VDU design doc and a doc.
"""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from shopbill.services.ops.embedded import EmbeddedServer
from tests.embedded.conftest import limit_open_files

VDU = {"validate_doc_update": "function (newDoc) { if (newDoc.bad) { throw({forbidden: 'bad'}); } }"}


def create_business_dbs(client: httpx.Client, count: int) -> list[str]:
    """Create `count` dbs as a shop would have them, each written once."""
    names = []
    for i in range(count):
        name = f"biz_{i:05d}"
        assert client.put(f"/{name}").status_code == 201, name
        security = {"admins": {"roles": ["_admin"]}, "members": {"names": [f"owner_{i}"]}}
        assert client.put(f"/{name}/_security", json=security).status_code == 200, name
        assert client.put(f"/{name}/_design/validate", json=VDU).status_code == 201, name
        r = client.put(f"/{name}/sale", json={"total": i})
        assert r.status_code == 201, (name, r.text)
        names.append(name)
    return names


def check_all_dbs_usable(client: httpx.Client, names: list[str]) -> None:
    """Every db still reads, writes and validates after being closed and reopened."""
    for name in names:
        assert client.get(f"/{name}/sale").json()["total"] == int(name.removeprefix("biz_"))
        assert client.put(f"/{name}/refused", json={"bad": True}).status_code == 403


def run_many_dbs(server: EmbeddedServer, *, dbs: int, nofile: int, max_dbs_open: int) -> None:
    server.data_dir.mkdir(parents=True)
    (server.data_dir / "config.json").write_text(json.dumps({"couchdb": {"max_dbs_open": max_dbs_open}}))
    server.start()
    assert server.process is not None
    limit_open_files(server.process.pid, nofile)
    with httpx.Client(base_url=server.url, auth=(server.admin_user, server.admin_password), timeout=30) as client:
        names = create_business_dbs(client, dbs)
        check_all_dbs_usable(client, names[::7])
        # `_db_updates` is written behind the requests, like CouchDB's `_global_changes`: poll it
        deadline, created = time.monotonic() + 30, set()
        while not created >= set(names) and time.monotonic() < deadline:
            updates = client.get("/_db_updates").json()["results"]
            created = {u["db_name"] for u in updates if u["type"] == "created"}
            time.sleep(0.1)
        assert created >= set(names), set(names) - created


def test_120_dbs_with_128_open_files(own_server: EmbeddedServer) -> None:
    """Without the LRU, this limit fails at ~25 dbs; the slow test below does 2,000 with 1,024."""
    run_many_dbs(own_server, dbs=120, nofile=128, max_dbs_open=10)


def test_open_feed_keeps_its_db_open(own_server: EmbeddedServer) -> None:
    """A db with a live `_changes` feed is in use: closing idle dbs must not break the feed."""
    run_many_dbs(own_server, dbs=5, nofile=256, max_dbs_open=2)
    admin = (own_server.admin_user, own_server.admin_password)
    since = httpx.get(f"{own_server.url}/biz_00000", auth=admin).json()["update_seq"]
    got: list[str] = []

    def follow() -> None:
        with (
            httpx.Client(base_url=own_server.url, auth=admin, timeout=30) as c,
            c.stream(
                "GET", "/biz_00000/_changes", params={"feed": "continuous", "since": since, "heartbeat": 500}
            ) as r,
        ):
            for line in r.iter_lines():
                if line.strip():
                    got.append(json.loads(line)["id"])
                    return

    feed = threading.Thread(target=follow, daemon=True)
    feed.start()
    time.sleep(0.5)
    with httpx.Client(base_url=own_server.url, auth=admin, timeout=30) as client:
        for name in ("biz_00001", "biz_00002", "biz_00003", "biz_00004"):
            assert client.put(f"/{name}/touch", json={}).status_code == 201
        assert client.put("/biz_00000/late", json={}).status_code == 201
    feed.join(timeout=10)
    assert got == ["late"]


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_2000_dbs_with_1024_open_files(own_server: EmbeddedServer) -> None:
    run_many_dbs(own_server, dbs=2000, nofile=1024, max_dbs_open=100)
