"""Three Apache CouchDB nodes (couchdb/cluster.ini: q=1, n=3) joined by
`shopbill.services.ops.cluster_setup`, carrying a shop end to end: signup and login through the
services, a real PouchDB phone syncing 500 docs, the auditor sealing them. Then node 2 is
killed -9: logins, signups, sync and the REST API go on with no 5xx and no doc lost, and once
node 2 is back its own shard copies hold every doc.

The services, the phone and the auditor all talk to node 0 (the set-up's coordinator); the
test kills node 2, which holds the third copy of every shard. (Failing over between nodes is
the proxy's job in compose, not something these processes do.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from shopbill.services.core.names import ACCOUNTS_DB, LEDGER_DB
from shopbill.services.integrity.sealed import SEALED_TYPES
from shopbill.services.ops.cluster_setup import Cluster, parse_nodes, set_up_cluster
from tests.utils.accounts import login, signup
from tests.utils.app_client import services_app
from tests.utils.auditor_process import audited, eventually, running_auditor, seal_count
from tests.utils.cluster import LocalCluster, local_revs
from tests.utils.rest_shop import Shop
from tests.utils.shop_docs import IST, ShopDocs
from tests.utils.sync_client import SyncClient, installed

pytestmark = pytest.mark.skipif(not installed(), reason="tests/client not installed: run make deps")

DEADLINE = 60.0  # each wait's goal is a few seconds; the bound is many times that
ENV_KEYS = ("PATH", "HOME", "LANG", "VIRTUAL_ENV")


def run_cluster_setup(cluster: LocalCluster) -> str:
    """Run the set-up as compose does (its own process, configured by env); return its log."""
    node = cluster.nodes[0]
    env = {k: v for k, v in os.environ.items() if k in ENV_KEYS}
    env.update(
        CLUSTER_NODES=cluster.cluster_nodes,
        COUCHDB_ADMIN_USER=node.admin_user,
        COUCHDB_ADMIN_PASSWORD=node.admin_password,
    )
    done = subprocess.run(
        [sys.executable, "-m", "shopbill.services.ops.cluster_setup"],
        env=env,
        capture_output=True,
        text=True,
        timeout=3 * DEADLINE,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def sealable(docs: list[dict]) -> int:
    return sum(doc["type"] in SEALED_TYPES for doc in docs)


def cluster_revs(admin: httpx.Client, db: str) -> dict[str, str]:
    """Each doc id of `db` with its winning rev, read through the cluster."""
    rows = admin.get(f"/{db}/_all_docs").raise_for_status().json()["rows"]
    return {row["id"]: row["value"]["rev"] for row in rows}


def sync_docs(phone: SyncClient, login_answer: dict, docs: list[dict]) -> None:
    """The phone keeps a fresh login, writes `docs` offline, then syncs them all."""
    phone.save_session(login_answer)
    assert phone.create(docs)["written"] == len(docs)
    report = phone.sync()
    assert report["status"] == "complete" and report["denied"] == [], report


def joined(cluster: LocalCluster) -> None:
    """Every node lists all three as members and as connected."""
    names = sorted(n.node_name for n in cluster.nodes)
    for i in range(len(cluster.nodes)):
        with cluster.target(i).client(auth=cluster.target(i).admin_auth) as admin:
            members = admin.get("/_membership").json()
            assert sorted(members["cluster_nodes"]) == sorted(members["all_nodes"]) == names


def sealed_invoices(shop: Shop) -> int:
    """How many invoices the REST API lists (it lists sealed ones only), page by page."""
    count, after = 0, None
    while True:
        r = shop.get("/v1/invoices", params={"limit": 500, **({"after": after} if after else {})})
        assert r.status_code == 200, r.text
        count += len(r.json()["invoices"])
        if not (after := r.json()["next"]):
            return count


def test_a_three_node_cluster_loses_a_node_without_errors_or_lost_docs(cluster: LocalCluster, tmp_path: Path):
    assert "finish_cluster" in run_cluster_setup(cluster)
    joined(cluster)
    statuses: list[tuple[str, str, int]] = []
    sms_file = tmp_path / "sms.jsonl"
    node0, node2 = cluster.target(0), cluster.target(2)
    with services_app(node0, sms_file) as api, running_auditor(node0), node0.client(auth=node0.admin_auth) as admin:
        api.event_hooks["response"].append(
            lambda r: statuses.append((r.request.method, r.request.url.path, r.status_code))
        )
        owner = signup(api, sms_file)
        first = login(api, owner, "phone-1")
        db = first["couchdb"]["db"]
        phone = SyncClient(tmp_path / "phone")
        shop_docs = ShopDocs(seed=500, device_id="phone-1", series=first["invoice_series"])
        docs = shop_docs.days(3, total=500)
        sync_docs(phone, first, docs)
        eventually(lambda: seal_count(admin, db) == sealable(docs) and audited(admin, db), DEADLINE)

        cluster.nodes[2].kill()
        eventually(lambda: cluster.nodes[2].node_name not in admin.get("/_membership").json()["all_nodes"], DEADLINE)
        # Everything a shop does, with one copy of every shard gone: a new shop signs up, the
        # phone logs in again and pushes a day's sales, the owner uses the REST API.
        login(api, signup(api, sms_file))
        day4 = datetime(2026, 11, 27, 9, 30, tzinfo=IST)  # after the 500 docs' three days
        later = [doc for n in range(40) for doc in shop_docs.sale(day4 + timedelta(minutes=n), paid="full")]
        sync_docs(phone, login(api, owner, "phone-1"), later)
        shop = Shop(api=api, owner=owner, login=login(api, owner, "owner-laptop"))
        item = shop.item()
        sent = docs + later
        eventually(lambda: seal_count(admin, db) == sealable(sent) and audited(admin, db), DEADLINE)
        assert sealed_invoices(shop) == sum(doc["type"] == "invoice" for doc in sent)
        on_cluster = cluster_revs(admin, db)
        local = phone.dump()
        assert {d["_id"]: local[d["_id"]]["_rev"] for d in sent}.items() <= on_cluster.items()
        assert item["_id"] in on_cluster

        # Node 2 comes back and catches up by itself (internal replication from the others):
        # its own shard copies of the shop, the seals and the rotated credentials match.
        cluster.restart_after_crash(2)
        with node2.client(auth=node2.admin_auth) as direct:
            for name in (db, LEDGER_DB, ACCOUNTS_DB, "_users"):
                eventually(lambda name=name: local_revs(direct, name) == cluster_revs(admin, name), DEADLINE)
            assert local_revs(direct, db).items() >= on_cluster.items()
    assert [s for s in statuses if s[2] >= 500] == []
    joined(cluster)

    # The set-up run again, on the cluster that lost and regained a node: nothing to do, and
    # it only reads.
    methods: list[str] = []
    node = cluster.nodes[0]
    again = Cluster(nodes=parse_nodes(cluster.cluster_nodes), user=node.admin_user, password=node.admin_password)
    with httpx.Client(
        auth=(node.admin_user, node.admin_password),
        timeout=30,
        event_hooks={"request": [lambda request: methods.append(request.method)]},
    ) as http:
        assert set_up_cluster(http, again) == []
    assert set(methods) == {"GET"}
