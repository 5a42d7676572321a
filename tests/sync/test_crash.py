"""Kill -9 the server in the middle of a push: after a restart and a new sync, every doc is
there exactly once (no duplicate, no loss, no conflict)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shopbill.services.embedded import EmbeddedServer
from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_checks import assert_arrived_once, provision_business, server_docs
from tests.utils.sync_client import SyncClient


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    """An embedded server of this test's own, which it may kill."""
    server = EmbeddedServer(data_dir=tmp_path / "server", admin_user="admin",
                            admin_password=secrets.token_urlsafe(16), secret=secrets.token_hex(32))
    server.start()
    yield server
    server.stop()


def doc_count(admin: httpx.Client, db: str) -> int:
    return int(admin.get(f"/{db}").raise_for_status().json()["doc_count"])


def push_through_a_crash(server: EmbeddedServer, phone: SyncClient, total: int) -> None:
    with httpx.Client(base_url=server.url, auth=(server.admin_user, server.admin_password),
                      timeout=30) as admin:
        business = provision_business(admin, server.url)
        docs = ShopDocs(seed=total).days(3, total=total)
        assert phone.create(docs)["written"] == total

        sync = phone.start("sync", {"remote": business.as_json(), "batch_size": 100})
        deadline = time.monotonic() + 120
        while (landed := doc_count(admin, business.db)) < total // 5:  # well under way
            assert time.monotonic() < deadline and sync.poll() is None, "push never got going"
            time.sleep(0.02)
        server.kill()
        interrupted = phone.finish(sync)

        assert interrupted["status"] == "error", interrupted  # stopped mid-push, not complete
        assert interrupted["error"]["status"] is None  # a network failure, not a 401
        server.start()
        assert landed <= doc_count(admin, business.db) < total

        resumed = phone.sync(business)

        assert resumed["status"] == "complete", resumed
        assert resumed["denied"] == []
        assert doc_count(admin, business.db) == total
        changes = admin.get(f"/{business.db}/_changes").raise_for_status().json()["results"]
        assert sorted(change["id"] for change in changes) == sorted(doc["_id"] for doc in docs)
        assert_arrived_once(server_docs(admin, business.db), docs, phone.dump())
        # the resumed push did not start over: it skipped what the server already had
        assert resumed["push"]["docs_written"] <= total - landed


def test_kill_9_during_a_5000_doc_push_loses_and_duplicates_nothing(
        own_server: EmbeddedServer, phone: SyncClient) -> None:
    push_through_a_crash(own_server, phone, 5000)  # ~20 s on 2 cores
