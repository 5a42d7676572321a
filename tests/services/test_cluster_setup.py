"""The cluster set-up script, against the CouchDB HTTP API calls it makes (a fake cluster)."""

from __future__ import annotations

import json

import httpx
import pytest

from shopbill.services.errors import ClusterSetupError
from shopbill.services.ops.cluster_setup import Cluster, Node, parse_nodes, set_up_cluster

HOSTS = ("couchdb-1.shopbill.internal", "couchdb-2.shopbill.internal", "couchdb-3.shopbill.internal")
COMPOSE = parse_nodes(",".join(HOSTS))  # compose's CLUSTER_NODES: Erlang names couchdb@<host>
NAMES = tuple(f"couchdb@{host}" for host in HOSTS)
# Three nodes on one machine, as tests/cluster starts them: own HTTP ports, own Erlang names.
LOCAL = parse_nodes("couchdb-5985@127.0.0.1:5985, couchdb-5986@127.0.0.1:5986,couchdb-5987@127.0.0.1:5987")


class FakeCluster:
    """Three CouchDB 3.x nodes as `/_cluster_setup`, `/_membership` and `_config` show them.

    A node is told apart by its HTTP address; `calls` name it by its Erlang name."""

    def __init__(self, nodes: tuple[Node, ...] = COMPOSE) -> None:
        self.nodes = {(n.host, n.port): n for n in nodes}
        self.state = "cluster_disabled"
        self.expected_nodes = len(nodes)
        self.joined: list[str] = []  # node names the coordinator added
        self.connected = {nodes[0].erlang_name}
        self.config = {
            (n.erlang_name, key): f"{key}-{i}" for i, n in enumerate(nodes) for key in ("couchdb/uuid", "admins/admin")
        }
        self.coordinator = nodes[0].erlang_name
        self.calls: list[tuple[str, str, str, dict | str | None]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        host = self.nodes[(request.url.host, request.url.port)].erlang_name
        path = request.url.path
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.method, host, path, body))
        assert request.headers["authorization"].startswith("Basic ")
        if path == "/_cluster_setup" and request.method == "GET":
            return httpx.Response(200, json={"state": self.state})
        if path == "/_cluster_setup":
            assert host == self.coordinator, "every set-up call goes to the coordinator"
            return self.setup(body)
        if path == "/":
            return httpx.Response(
                200, json={"couchdb": "Welcome", "version": "3.5.2", "uuid": self.config[(host, "couchdb/uuid")]}
            )
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
            node = self.nodes[(body["host"], body["port"])]
            assert self.state == "cluster_enabled" and body["name"] == node.name
            self.joined.append(node.erlang_name)
        elif action == "finish_cluster":
            for key in ("couchdb/uuid", "admins/admin"):
                assert all(self.config[(name, key)] == self.config[(self.coordinator, key)] for name in self.joined)
            self.connected.update(self.joined)
            self.state = "cluster_finished"
        else:
            return httpx.Response(400, json={"error": "bad_request"})
        return httpx.Response(201, json={"ok": True})


def client(fake: FakeCluster) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(fake.handle), auth=("admin", "pw"))


CLUSTER = Cluster(nodes=COMPOSE, user="admin", password="pw")


def test_a_fresh_cluster_is_joined_with_couchdbs_documented_calls_in_order():
    fake = FakeCluster()
    steps = set_up_cluster(client(fake), CLUSTER)
    assert steps == [
        f"uuid {NAMES[1]}",
        f"uuid {NAMES[2]}",
        f"admin {NAMES[1]}",
        f"admin {NAMES[2]}",
        f"enable_cluster {NAMES[0]}",
        f"add_node {NAMES[1]}",
        f"add_node {NAMES[2]}",
        "finish_cluster",
    ]
    actions = [
        (b["action"], b.get("remote_node") or b.get("host"))
        for m, _, p, b in fake.calls
        if p == "/_cluster_setup" and m == "POST"
    ]
    assert actions == [
        ("enable_cluster", None),
        ("enable_cluster", HOSTS[1]),
        ("add_node", HOSTS[1]),
        ("enable_cluster", HOSTS[2]),
        ("add_node", HOSTS[2]),
        ("finish_cluster", None),
    ]
    remote = next(b for m, _, p, b in fake.calls if isinstance(b, dict) and b.get("remote_node") == HOSTS[1])
    assert remote["remote_current_user"] == "admin" and remote["port"] == 5984
    assert fake.state == "cluster_finished"
    assert fake.connected == set(NAMES)


def test_nodes_on_one_host_are_joined_by_their_own_ports_and_erlang_names():
    fake = FakeCluster(LOCAL)
    steps = set_up_cluster(client(fake), Cluster(nodes=LOCAL, user="admin", password="pw"))
    assert steps[-3:] == ["add_node couchdb-5986@127.0.0.1", "add_node couchdb-5987@127.0.0.1", "finish_cluster"]
    posts = [b for m, _, p, b in fake.calls if p == "/_cluster_setup" and m == "POST"]
    assert [(b.get("remote_node") or b.get("host"), b.get("port"), b.get("name")) for b in posts[1:5]] == [
        ("127.0.0.1", 5986, None),
        ("127.0.0.1", 5986, "couchdb-5986"),
        ("127.0.0.1", 5987, None),
        ("127.0.0.1", 5987, "couchdb-5987"),
    ]
    assert fake.connected == {n.erlang_name for n in LOCAL}


def test_cluster_nodes_entries_name_the_host_and_optionally_the_erlang_name_and_port():
    assert COMPOSE[1] == Node(host=HOSTS[1], port=5984, name="couchdb")
    assert parse_nodes("db1, db2:6984,node2@db3", default_port=7000) == (
        Node("db1", 7000),
        Node("db2", 6984),
        Node("db3", 7000, "node2"),
    )
    assert LOCAL[0].erlang_name == "couchdb-5985@127.0.0.1"
    assert LOCAL[0].url("/_up") == "http://127.0.0.1:5985/_up"
    for bad in ("db1:http", "couchdb@", "db1:"):
        with pytest.raises(ValueError):
            Node.parse(bad)


def test_running_it_again_changes_nothing():
    fake = FakeCluster()
    set_up_cluster(client(fake), CLUSTER)
    fake.calls.clear()
    assert set_up_cluster(client(fake), CLUSTER) == []
    assert all(method == "GET" for method, *_ in fake.calls)


def test_a_node_missing_from_a_finished_cluster_is_added_through_the_nodes_db():
    fake = FakeCluster()
    fake.expected_nodes = 2
    set_up_cluster(client(fake), Cluster(nodes=COMPOSE[:2], user="admin", password="pw"))
    steps = set_up_cluster(client(fake), CLUSTER)
    assert steps == [f"join {NAMES[2]}"]
    assert ("PUT", NAMES[0], f"/_node/_local/_nodes/{NAMES[2]}", {}) in fake.calls


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
