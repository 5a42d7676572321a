"""A started single Apache CouchDB node is ready only once it has created its own `_users` and
`_replicator`: it answers `/_session` before that, and a client creating them in that window
races it (the benchmark's creation of `_users` failed so on a loaded CI machine)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from shopbill.services.errors import ServerStartError
from shopbill.services.ops.apache_couchdb import ApacheCouchDB

SYSTEM_DBS_AFTER = 0.5  # seconds after the first request when the fake node has its system dbs


class FakeNode(BaseHTTPRequestHandler):
    """Answers `/_session` as admin at once, and `/_users` and `/_replicator` only later."""

    started = 0.0

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        if self.path == "/_session":
            status, body = 200, {"ok": True, "userCtx": {"name": "admin", "roles": ["_admin"]}}
        elif self.path in ("/_users", "/_replicator") and time.monotonic() - self.started > SYSTEM_DBS_AFTER:
            status, body = 200, {"db_name": self.path[1:]}
        else:
            status, body = 404, {"error": "not_found", "reason": "Database does not exist."}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_node() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeNode)
    FakeNode.started = time.monotonic()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def node(port: int, tmp_path: Path, *, single_node: bool = True) -> ApacheCouchDB:
    return ApacheCouchDB(data_dir=tmp_path, admin_user="admin", admin_password="pw", port=port, single_node=single_node)


def test_a_single_node_is_ready_once_its_system_dbs_exist(fake_node: int, tmp_path: Path) -> None:
    node(fake_node, tmp_path).wait_ready(timeout=20)
    assert time.monotonic() - FakeNode.started > SYSTEM_DBS_AFTER


def test_a_single_node_without_system_dbs_is_not_ready(fake_node: int, tmp_path: Path) -> None:
    FakeNode.started = time.monotonic() + 3600  # its system dbs never appear
    with pytest.raises(ServerStartError):
        node(fake_node, tmp_path).wait_ready(timeout=1)


def test_a_cluster_node_is_ready_without_them(fake_node: int, tmp_path: Path) -> None:
    FakeNode.started = time.monotonic() + 3600  # a cluster's system dbs come with finishing it
    node(fake_node, tmp_path, single_node=False).wait_ready(timeout=20)
