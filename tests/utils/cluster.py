"""Apache CouchDB nodes on loopback joined into one cluster, for tests that need a real one."""

from __future__ import annotations

import configparser
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from shopbill.services.ops.apache_couchdb import PROJECT_DIR, ApacheCouchDB
from tests.utils.couch import CouchTarget

CLUSTER_INI = PROJECT_DIR / "couchdb" / "cluster.ini"
# CouchDB's set-up refuses a node whose `bind_address` reads "127.0.0.1" (it wants nodes other
# machines can reach); "127.1" is the same loopback address in another spelling, so the nodes
# pass that check and still listen on loopback only.
LOOPBACK_BIND = "127.1"


def cluster_ini() -> dict[str, dict[str, str]]:
    """couchdb/cluster.ini (what compose mounts on every cluster node) as `extra_ini` sections."""
    parser = configparser.ConfigParser()
    parser.read(CLUSTER_INI)
    return {name: dict(parser[name]) for name in parser.sections()}


@dataclass
class LocalCluster:
    """`nodes` sharing one cookie, uuid and secret, each on its own free port of 127.0.0.1."""

    nodes: list[ApacheCouchDB]

    @classmethod
    def create(cls, base: Path, size: int = 3) -> LocalCluster:
        """Nodes (not started) with data dirs under `base` and the settings of cluster.ini."""
        password = secrets.token_urlsafe(16)
        shared = {"cookie": secrets.token_hex(16), "uuid": secrets.token_hex(16), "secret": secrets.token_hex(32)}
        extra = {**cluster_ini(), "chttpd": {"bind_address": LOOPBACK_BIND}}
        return cls(
            [
                ApacheCouchDB(
                    data_dir=base / f"node{i}",
                    admin_user="admin",
                    admin_password=password,
                    single_node=False,
                    extra_ini={k: dict(v) for k, v in extra.items()},
                    **shared,
                )
                for i in range(size)
            ]
        )

    def start(self) -> None:
        """Start every node at once (each waits until it answers) and wait for all."""
        errors: list[BaseException] = []

        def start(node: ApacheCouchDB) -> None:
            try:
                node.start()
            except BaseException as exc:  # re-raised below, in the caller's thread
                errors.append(exc)

        threads = [threading.Thread(target=start, args=(n,)) for n in self.nodes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    @property
    def cluster_nodes(self) -> str:
        """The CLUSTER_NODES value of cluster_setup naming these nodes (the first coordinates)."""
        return ",".join(f"{n.node_name}:{n.port}" for n in self.nodes)

    def target(self, index: int) -> CouchTarget:
        node = self.nodes[index]
        return CouchTarget(url=node.url, admin_user=node.admin_user, admin_password=node.admin_password)

    def restart_after_crash(self, index: int, *, source: int = 0) -> None:
        """Start a killed node again as a real node would come back: with the admin password
        hash the set-up shared (the launcher rewrites its ini from the plain password, which
        would hash it with a new salt), read from node `source`."""
        node = self.nodes[index]
        with self.target(source).client(auth=self.target(source).admin_auth) as admin:
            stored = admin.get(f"/_node/_local/_config/admins/{node.admin_user}")
            node.extra_ini["admins"] = {node.admin_user: stored.raise_for_status().json()}
        node.start()


def local_revs(admin: httpx.Client, db: str) -> dict[str, str]:
    """Each doc id of `db` with its winning rev, as the shard copies on the node `admin` talks
    to hold them: read through `/_node/_local/`, not the cluster (which would answer from any
    copy)."""
    shards = [
        name
        for name in admin.get("/_node/_local/_all_dbs").raise_for_status().json()
        if name.startswith("shards/") and name.rsplit("/", 1)[1].rsplit(".", 1)[0] == db
    ]
    assert shards, f"no shard of {db} on this node"
    revs: dict[str, str] = {}
    for shard in shards:
        r = admin.get(f"/_node/_local/{quote(shard, safe='')}/_all_docs")
        revs.update({row["id"]: row["value"]["rev"] for row in r.raise_for_status().json()["rows"]})
    return revs
