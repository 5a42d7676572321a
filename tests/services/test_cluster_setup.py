"""The cluster set-up script, against the CouchDB HTTP API calls it makes (a fake cluster)."""

from __future__ import annotations

import json

import httpx
import pytest

from shopbill.services.ops.cluster_setup import Cluster, ClusterSetupError, set_up_cluster

HOSTS = ("couchdb-1.shopbill.internal", "couchdb-2.shopbill.internal", "couchdb-3.shopbill.internal")


class FakeCluster:
    """Three CouchDB 3.x nodes as `/_cluster_setup`, `/_membership` and `_config` show them."""

    def __init__(self) -> None:
        self.state = "cluster_disabled"
        self.expected_nodes = len(HOSTS)
        self.joined: list[str] = []  # node names the coordinator added
        self.connected = {f"couchdb@{HOSTS[0]}"}
        self.config = {(host, key): f"{key}-{i}" for i, host in enumerate(HOSTS)
                       for key in ("couchdb/uuid", "admins/admin")}
        self.calls: list[tuple[str, str, str, dict | str | None]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        host, path = request.url.host, request.url.path
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.method, host, path, body))
        assert request.headers["authorization"].startswith("Basic ")
        if path == "/_cluster_setup" and request.method == "GET":
            return httpx.Response(200, json={"state": self.state})
        if path == "/_cluster_setup":
            assert host == HOSTS[0], "every set-up call goes to the coordinator"
            return self.setup(body)
        if path == "/":
            return httpx.Response(200, json={"couchdb": "Welcome", "version": "3.5.2",
                                             "uuid": self.config[(host, "couchdb/uuid")]})
        if path == "/_membership":
            nodes = sorted(self.connected)
            return httpx.Response(200, json={"all_nodes": nodes, "cluster_nodes": nodes})
        if path.startswith("/_node/_local/_config/"):
            key = path.removeprefix("/_node/_local/_config/")
            if request.method == "PUT":
                old, self.config[(host, key)] = self.config[(host, key)], body
                return httpx.Response(200, json=old)
            return httpx.Response(200, json=self.config[(host, key)])
        if path.startswith("/_node/_local/_nodes/") and request.method == "PUT":
            self.connected.add(path.rsplit("/", 1)[1])
            return httpx.Response(201, json={"ok": True})
        return httpx.Response(404, json={"error": "not_found"})

    def setup(self, body: dict) -> httpx.Response:
        action = body["action"]
        if action == "enable_cluster":
            assert body["username"] == "admin" and body["password"] == "pw"
            assert body["node_count"] == str(self.expected_nodes) and body["bind_address"] == "0.0.0.0"
            if "remote_node" not in body:
                self.state = "cluster_enabled"
        elif action == "add_node":
            assert self.state == "cluster_enabled" and body["port"] == 5984
            self.joined.append(f"couchdb@{body['host']}")
        elif action == "finish_cluster":
            joined_hosts = [name.split("@")[1] for name in self.joined]
            for key in ("couchdb/uuid", "admins/admin"):
                assert all(self.config[(h, key)] == self.config[(HOSTS[0], key)]
                           for h in joined_hosts)
            self.connected.update(self.joined)
            self.state = "cluster_finished"
        else:
            return httpx.Response(400, json={"error": "bad_request"})
        return httpx.Response(201, json={"ok": True})


def client(fake: FakeCluster) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(fake.handle), auth=("admin", "pw"))


CLUSTER = Cluster(hosts=HOSTS, user="admin", password="pw")


def test_a_fresh_cluster_is_joined_with_couchdbs_documented_calls_in_order():
    fake = FakeCluster()
    steps = set_up_cluster(client(fake), CLUSTER)
    assert steps == [f"uuid {HOSTS[1]}", f"uuid {HOSTS[2]}", f"admin {HOSTS[1]}",
                     f"admin {HOSTS[2]}", f"enable_cluster {HOSTS[0]}",
                     f"add_node {HOSTS[1]}", f"add_node {HOSTS[2]}", "finish_cluster"]
    actions = [(b["action"], b.get("remote_node") or b.get("host")) for m, _, p, b in fake.calls
               if p == "/_cluster_setup" and m == "POST"]
    assert actions == [("enable_cluster", None),
                       ("enable_cluster", HOSTS[1]), ("add_node", HOSTS[1]),
                       ("enable_cluster", HOSTS[2]), ("add_node", HOSTS[2]),
                       ("finish_cluster", None)]
    remote = next(b for m, _, p, b in fake.calls
                  if isinstance(b, dict) and b.get("remote_node") == HOSTS[1])
    assert remote["remote_current_user"] == "admin" and remote["port"] == 5984
    assert fake.state == "cluster_finished"
    assert fake.connected == {f"couchdb@{h}" for h in HOSTS}


def test_running_it_again_changes_nothing():
    fake = FakeCluster()
    set_up_cluster(client(fake), CLUSTER)
    fake.calls.clear()
    assert set_up_cluster(client(fake), CLUSTER) == []
    assert all(method == "GET" for method, *_ in fake.calls)


def test_a_node_missing_from_a_finished_cluster_is_added_through_the_nodes_db():
    fake = FakeCluster()
    fake.expected_nodes = 2
    set_up_cluster(client(fake), Cluster(hosts=HOSTS[:2], user="admin", password="pw"))
    steps = set_up_cluster(client(fake), CLUSTER)
    assert steps == [f"join {HOSTS[2]}"]
    assert ("PUT", HOSTS[0], f"/_node/_local/_nodes/couchdb@{HOSTS[2]}", {}) in fake.calls


def test_a_refused_step_or_a_node_that_never_connects_is_an_error():
    fake = FakeCluster()
    fake.setup = lambda body: httpx.Response(500, json={"error": "setup_error"})  # type: ignore
    with pytest.raises(ClusterSetupError, match="500"):
        set_up_cluster(client(fake), CLUSTER)
    stuck = FakeCluster()
    stuck.state = "cluster_finished"
    original = stuck.handle

    def no_join(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/_node/_local/_nodes/"):
            return httpx.Response(201, json={"ok": True})  # accepted, but the node never shows up
        return original(request)

    http = httpx.Client(transport=httpx.MockTransport(no_join), auth=("admin", "pw"))
    with pytest.raises(ClusterSetupError, match="not connected"):
        set_up_cluster(http, CLUSTER)
