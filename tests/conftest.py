"""Suite-wide fixtures: one real CouchDB-protocol server for the whole run.

With COUCHDB_URL set (plus COUCHDB_ADMIN_USER / COUCHDB_ADMIN_PASSWORD) the suite runs against
that server; otherwise it starts a server of the engine under test (SHOPBILL_TEST_ENGINE: the
embedded server, or Apache CouchDB for `make test-couchdb`) on a free port with a throwaway data dir.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.utils.app_client import services_app
from tests.utils.couch import ENGINE, CouchTarget, Server, throwaway_server

TESTS_DIR = Path(__file__).parent


@pytest.fixture(scope="session")
def started_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server | None]:
    """The server this run started, or None when COUCHDB_URL points elsewhere."""
    if os.environ.get("COUCHDB_URL"):
        yield None
        return
    server = throwaway_server(Path(tmp_path_factory.mktemp("couchdb")))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    """A started server of this test's own (the engine under test), which it may kill and
    restart."""
    server = throwaway_server(tmp_path / "couch")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def couch(started_server: Server | None) -> CouchTarget:
    """Where the server under test is and how to reach it as admin."""
    if started_server is None:
        return CouchTarget(
            url=os.environ["COUCHDB_URL"].rstrip("/"),
            admin_user=os.environ.get("COUCHDB_ADMIN_USER", "admin"),
            admin_password=os.environ["COUCHDB_ADMIN_PASSWORD"],
        )
    return CouchTarget(
        url=started_server.url, admin_user=started_server.admin_user, admin_password=started_server.admin_password
    )


@pytest.fixture(scope="session")
def admin(couch: CouchTarget) -> Iterator[httpx.Client]:
    """An HTTP client authenticated as the server admin."""
    with couch.client(auth=couch.admin_auth) as client:
        yield client


@pytest.fixture
def anon(couch: CouchTarget) -> Iterator[httpx.Client]:
    """An anonymous HTTP client."""
    with couch.client() as client:
        yield client


@pytest.fixture(scope="session")
def sms_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sms") / "sms.jsonl"


@pytest.fixture(scope="session")
def app_factory(couch, sms_file) -> Callable:
    """Build an app against the test server, with the SMS file sender in a temp dir; keyword
    overrides are env variables."""

    def make(client_ip: str = "203.0.113.1", **env: str) -> AbstractContextManager[TestClient]:
        return services_app(couch, sms_file, client_ip, **env)

    return make


@pytest.fixture(scope="session")
def api(app_factory) -> Iterator[TestClient]:
    with app_factory() as client:
        yield client


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave out what the engine under test cannot run: on Apache CouchDB, the regression tests
    of the embedded server's own code (`tests/embedded/`: they pin fixes to PouchDB Server,
    which that run does not start); on the embedded server, the cluster tests (`tests/cluster/`:
    a cluster is made of Apache CouchDB nodes)."""
    if collection_path.parent != TESTS_DIR:
        return None
    if ENGINE == "couchdb" and collection_path.name == "embedded":
        return True
    if ENGINE != "couchdb" and collection_path.name == "cluster":
        return True
    return None
