"""Suite-wide fixtures: one real CouchDB-protocol server for the whole run.

With COUCHDB_URL set (plus COUCHDB_ADMIN_USER / COUCHDB_ADMIN_PASSWORD) the suite runs against
that server; otherwise it starts the embedded server on a free port with a throwaway data dir.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shopbill.services.embedded import EmbeddedServer
from tests.utils.couch import CouchTarget


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer | None]:
    """The embedded server this run started, or None when COUCHDB_URL points elsewhere."""
    if os.environ.get("COUCHDB_URL"):
        yield None
        return
    server = EmbeddedServer(
        data_dir=Path(tmp_path_factory.mktemp("couchdb")),
        admin_user="admin",
        admin_password=secrets.token_urlsafe(16),
        secret=secrets.token_hex(32),
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def couch(embedded_server: EmbeddedServer | None) -> CouchTarget:
    """Where the server under test is and how to reach it as admin."""
    if embedded_server is None:
        return CouchTarget(
            url=os.environ["COUCHDB_URL"].rstrip("/"),
            admin_user=os.environ.get("COUCHDB_ADMIN_USER", "admin"),
            admin_password=os.environ["COUCHDB_ADMIN_PASSWORD"],
        )
    return CouchTarget(url=embedded_server.url, admin_user=embedded_server.admin_user,
                       admin_password=embedded_server.admin_password)


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


@pytest.fixture
def running_embedded(embedded_server: EmbeddedServer | None) -> EmbeddedServer:
    """The embedded server, for tests that kill or restart it; skipped against other servers."""
    if embedded_server is None:
        pytest.skip("needs the embedded server (COUCHDB_URL points at an external server)")
    return embedded_server
