"""Join Apache CouchDB nodes into one cluster with CouchDB's own `/_cluster_setup` API.

`python -m shopbill.services.ops.cluster_setup` (the compose `cluster` profile runs it once) with
CLUSTER_NODES=host1,host2,host3 (each node's Erlang name is `couchdb@<host>`, its HTTP API on
port CLUSTER_PORT, default 5984) and the admin of every node in COUCHDB_ADMIN_USER /
COUCHDB_ADMIN_PASSWORD. The first node coordinates. The steps are CouchDB's documented ones:
1. every node answers `/_up`; all nodes get the coordinator's `[couchdb] uuid` and its hashed
   admin password (CouchDB wants both identical cluster-wide, or a session cookie made on one
   node fails on the next; `[chttpd_auth] secret` comes identical from COUCHDB_SECRET);
2. `enable_cluster` on the coordinator, then for each other node `enable_cluster` with
   `remote_node` and `add_node`;
3. `finish_cluster` (creates `_users` and `_replicator` across the cluster);
4. `/_membership` must list every node. A finished cluster missing a node (scaling out) gets it
   through `PUT /_node/_local/_nodes/couchdb@<host>`. Running it again changes nothing.
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

log = logging.getLogger("cluster_setup")


class ClusterSetupError(RuntimeError):
    """A node refused a step, or the cluster did not come out whole."""


@dataclass(frozen=True)
class Cluster:
    """The nodes to join (hosts as the other nodes resolve them) and the admin of all of them."""

    hosts: tuple[str, ...]
    user: str
    password: str
    port: int = 5984

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"

    @staticmethod
    def node_name(host: str) -> str:
        return f"couchdb@{host}"


def _call(http: httpx.Client, method: str, url: str, **kwargs: object) -> Any:
    response = http.request(method, url, **kwargs)  # type: ignore[arg-type]
    if response.status_code >= 400:
        raise ClusterSetupError(f"{method} {url}: {response.status_code} {response.text[:200]}")
    return response.json() if response.content else {}


def wait_until_up(http: httpx.Client, cluster: Cluster, *, timeout: float = 120.0) -> None:
    """Poll every node's `/_up` until it answers 200, or raise."""
    for host in cluster.hosts:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if http.get(cluster.url(host, "/_up")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise ClusterSetupError(f"{host} did not come up within {timeout:.0f} s")
            time.sleep(1.0)


def set_up_cluster(http: httpx.Client, cluster: Cluster) -> list[str]:
    """Make the nodes one cluster; return the steps taken (empty when it already was one)."""
    coordinator, others = cluster.hosts[0], cluster.hosts[1:]
    steps: list[str] = []
    state = _call(http, "GET", cluster.url(coordinator, "/_cluster_setup"))["state"]
    if state != "cluster_finished":
        steps += _share_config(http, cluster)
        admin = {"username": cluster.user, "password": cluster.password}
        count = str(len(cluster.hosts))
        if state == "cluster_disabled":
            _setup(http, cluster, {"action": "enable_cluster", "bind_address": "0.0.0.0",
                                   "node_count": count, **admin})
            steps.append(f"enable_cluster {coordinator}")
        for host in others:
            _setup(http, cluster, {"action": "enable_cluster", "bind_address": "0.0.0.0",
                                   "node_count": count, "port": cluster.port, "remote_node": host,
                                   "remote_current_user": cluster.user,
                                   "remote_current_password": cluster.password, **admin})
            _setup(http, cluster, {"action": "add_node", "host": host, "port": cluster.port,
                                   **admin})
            steps.append(f"add_node {host}")
        _setup(http, cluster, {"action": "finish_cluster"})
        steps.append("finish_cluster")
    members = _call(http, "GET", cluster.url(coordinator, "/_membership"))
    for host in cluster.hosts:
        if cluster.node_name(host) not in members["cluster_nodes"]:
            node = cluster.node_name(host)
            _call(http, "PUT", cluster.url(coordinator, f"/_node/_local/_nodes/{node}"), json={})
            steps.append(f"join {host}")
    if steps:
        members = _call(http, "GET", cluster.url(coordinator, "/_membership"))
    missing = [h for h in cluster.hosts if cluster.node_name(h) not in members["all_nodes"]]
    if missing:
        raise ClusterSetupError(f"not connected after set-up: {', '.join(missing)}")
    return steps


def _setup(http: httpx.Client, cluster: Cluster, body: dict) -> None:
    _call(http, "POST", cluster.url(cluster.hosts[0], "/_cluster_setup"), json=body)


def _share_config(http: httpx.Client, cluster: Cluster) -> list[str]:
    """Copy the coordinator's uuid and admin hash (a stored hash is taken as is) to the others."""
    steps = []
    for key, path in (("uuid", "/_node/_local/_config/couchdb/uuid"),
                      ("admin", f"/_node/_local/_config/admins/{cluster.user}")):
        value = _read(http, cluster, cluster.hosts[0], key, path)
        for host in cluster.hosts[1:]:
            if _read(http, cluster, host, key, path) != value:
                _call(http, "PUT", cluster.url(host, path), json=value)
                steps.append(f"{key} {host}")
    return steps


def _read(http: httpx.Client, cluster: Cluster, host: str, key: str, path: str) -> Any:
    # The uuid a node uses is the one `GET /` shows (it may have made it without a config line).
    if key == "uuid":
        return _call(http, "GET", cluster.url(host, "/"))["uuid"]
    return _call(http, "GET", cluster.url(host, path))


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    hosts = tuple(h.strip() for h in os.environ.get("CLUSTER_NODES", "").split(",") if h.strip())
    if len(hosts) < 2:
        print("CLUSTER_NODES must name at least two hosts", file=sys.stderr)
        return 2
    cluster = Cluster(hosts=hosts, user=os.environ.get("COUCHDB_ADMIN_USER", "admin"),
                      password=os.environ["COUCHDB_ADMIN_PASSWORD"],
                      port=int(os.environ.get("CLUSTER_PORT", "5984")))
    with httpx.Client(auth=(cluster.user, cluster.password), timeout=30) as http:
        wait_until_up(http, cluster)
        steps = set_up_cluster(http, cluster)
    log.info("cluster of %d nodes ready%s", len(hosts), f": {', '.join(steps)}" if steps else
             " (nothing to do)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
