"""Join Apache CouchDB nodes into one cluster with CouchDB's own `/_cluster_setup` API.

`python -m shopbill.services.ops.cluster_setup` (the compose `cluster` profile runs it once) with
CLUSTER_NODES naming the nodes, comma-separated, and the admin of every node in
COUCHDB_ADMIN_USER / COUCHDB_ADMIN_PASSWORD. Each entry is `[name@]host[:port]`:
- `host` alone (compose: `couchdb-1.shopbill.internal,couchdb-2...,couchdb-3...`): the Erlang
  node `couchdb@<host>`, its HTTP API on port CLUSTER_PORT (default 5984);
- `couchdb-5985@127.0.0.1:5985`: the Erlang node `couchdb-5985@127.0.0.1`, its HTTP API on
  127.0.0.1:5985 (several nodes on one machine, as tests/cluster runs them).
The host is both where the HTTP API answers and the host part of the Erlang name, as CouchDB's
`add_node` wants. The first node coordinates. The steps are CouchDB's documented ones:
1. every node answers `/_up`; all nodes get the coordinator's `[couchdb] uuid` and its hashed
   admin password (CouchDB wants both identical cluster-wide, or a session cookie made on one
   node fails on the next; `[chttpd_auth] secret` comes identical from COUCHDB_SECRET);
2. `enable_cluster` on the coordinator, then for each other node `enable_cluster` with
   `remote_node` and `add_node`;
3. `finish_cluster` (creates `_users` and `_replicator` across the cluster);
4. `/_membership` must list every node. A finished cluster missing a node (scaling out) gets it
   through `PUT /_node/_local/_nodes/<name>@<host>`. Running it again changes nothing.
Shards per database come from `[cluster] q` and `n` in couchdb/cluster.ini (q=1, n=3).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from typing import Any

import httpx

from shopbill.services.errors import ClusterSetupError, SettingsError

log = logging.getLogger("cluster_setup")


@dataclass(frozen=True)
class Node:
    """One node: the host its HTTP API and Erlang distribution answer on, its HTTP port, and
    the name part of its Erlang node name (`name@host`)."""

    host: str
    port: int = 5984
    name: str = "couchdb"

    @classmethod
    def parse(cls, spec: str, default_port: int = 5984) -> Node:
        """A CLUSTER_NODES entry: `host`, `host:port`, `name@host` or `name@host:port`."""
        name, _, address = spec.strip().rpartition("@")
        host, sep, port = address.rpartition(":")
        if not sep:
            host, port = address, str(default_port)
        if not host or not port.isdigit():
            raise SettingsError(f"not a node ([name@]host[:port]): {spec!r}")
        return cls(host=host, port=int(port), name=name or "couchdb")

    @property
    def erlang_name(self) -> str:
        return f"{self.name}@{self.host}"

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"


def parse_nodes(specs: str, default_port: int = 5984) -> tuple[Node, ...]:
    """The nodes of a comma-separated CLUSTER_NODES value."""
    return tuple(Node.parse(s, default_port) for s in specs.split(",") if s.strip())


@dataclass(frozen=True)
class Cluster:
    """The nodes to join (as the other nodes reach them) and the admin of all of them."""

    nodes: tuple[Node, ...]
    user: str
    password: str

    @property
    def coordinator(self) -> Node:
        return self.nodes[0]


def _call(http: httpx.Client, method: str, url: str, **kwargs: object) -> Any:
    response = http.request(method, url, **kwargs)  # type: ignore[arg-type]
    if response.status_code >= 400:
        raise ClusterSetupError(f"{method} {url}: {response.status_code} {response.text[:200]}")
    return response.json() if response.content else {}


def wait_until_up(http: httpx.Client, cluster: Cluster, *, timeout: float = 120.0) -> None:
    """Poll every node's `/_up` until it answers 200, or raise."""
    for node in cluster.nodes:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if http.get(node.url("/_up")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise ClusterSetupError(f"{node.erlang_name} did not come up within {timeout:.0f} s")
            time.sleep(1.0)


def set_up_cluster(http: httpx.Client, cluster: Cluster) -> list[str]:
    """Make the nodes one cluster; return the steps taken (empty when it already was one)."""
    coordinator, others = cluster.coordinator, cluster.nodes[1:]
    steps: list[str] = []
    state = _call(http, "GET", coordinator.url("/_cluster_setup"))["state"]
    if state != "cluster_finished":
        steps += _share_config(http, cluster)
        admin = {"username": cluster.user, "password": cluster.password}
        count = str(len(cluster.nodes))
        if state == "cluster_disabled":
            _setup(http, cluster, {"action": "enable_cluster", "bind_address": "0.0.0.0", "node_count": count, **admin})
            steps.append(f"enable_cluster {coordinator.erlang_name}")
        for node in others:
            # A node already enabled (bound beyond loopback, as in compose) answers 400 to the
            # coordinator, which CouchDB ignores: the call only matters on a fresh node.
            _setup(
                http,
                cluster,
                {
                    "action": "enable_cluster",
                    "bind_address": "0.0.0.0",
                    "node_count": count,
                    "port": node.port,
                    "remote_node": node.host,
                    "remote_current_user": cluster.user,
                    "remote_current_password": cluster.password,
                    **admin,
                },
            )
            _setup(
                http, cluster, {"action": "add_node", "host": node.host, "port": node.port, "name": node.name, **admin}
            )
            steps.append(f"add_node {node.erlang_name}")
        _setup(http, cluster, {"action": "finish_cluster"})
        steps.append("finish_cluster")
    members = _call(http, "GET", coordinator.url("/_membership"))
    for node in cluster.nodes:
        if node.erlang_name not in members["cluster_nodes"]:
            _call(http, "PUT", coordinator.url(f"/_node/_local/_nodes/{node.erlang_name}"), json={})
            steps.append(f"join {node.erlang_name}")
    if steps:
        members = _call(http, "GET", coordinator.url("/_membership"))
    missing = [n.erlang_name for n in cluster.nodes if n.erlang_name not in members["all_nodes"]]
    if missing:
        raise ClusterSetupError(f"not connected after set-up: {', '.join(missing)}")
    return steps


def _setup(http: httpx.Client, cluster: Cluster, body: dict[str, Any]) -> None:
    _call(http, "POST", cluster.coordinator.url("/_cluster_setup"), json=body)


def _share_config(http: httpx.Client, cluster: Cluster) -> list[str]:
    """Copy the coordinator's uuid and admin hash (a stored hash is taken as is) to the others."""
    steps = []
    for key, path in (
        ("uuid", "/_node/_local/_config/couchdb/uuid"),
        ("admin", f"/_node/_local/_config/admins/{cluster.user}"),
    ):
        value = _read(http, cluster.coordinator, key, path)
        for node in cluster.nodes[1:]:
            if _read(http, node, key, path) != value:
                _call(http, "PUT", node.url(path), json=value)
                steps.append(f"{key} {node.erlang_name}")
    return steps


def _read(http: httpx.Client, node: Node, key: str, path: str) -> Any:
    # The uuid a node uses is the one `GET /` shows (it may have made it without a config line).
    if key == "uuid":
        return _call(http, "GET", node.url("/"))["uuid"]
    return _call(http, "GET", node.url(path))


def main() -> int:
    """Join the nodes CLUSTER_NODES names; exit 0 once they are one cluster, 2 on bad input."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        nodes = parse_nodes(os.environ.get("CLUSTER_NODES", ""), int(os.environ.get("CLUSTER_PORT", "5984")))
    except ValueError as exc:
        print(f"CLUSTER_NODES: {exc}", file=sys.stderr)
        return 2
    if len(nodes) < 2:
        print("CLUSTER_NODES must name at least two nodes", file=sys.stderr)
        return 2
    cluster = Cluster(
        nodes=nodes, user=os.environ.get("COUCHDB_ADMIN_USER", "admin"), password=os.environ["COUCHDB_ADMIN_PASSWORD"]
    )
    with httpx.Client(auth=(cluster.user, cluster.password), timeout=30) as http:
        wait_until_up(http, cluster)
        steps = set_up_cluster(http, cluster)
    log.info("cluster of %d nodes ready%s", len(nodes), f": {', '.join(steps)}" if steps else " (nothing to do)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
