"""Kill -9 the server in the middle of a push: after a restart and a new sync, every doc is
there exactly once (no duplicate, no loss, no conflict)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from shopbill.services.ops.embedded import EmbeddedServer
from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_checks import assert_arrived_once, doc_count, provision_business, server_docs
from tests.utils.sync_client import SyncClient, read_events


def push_through_a_crash(server: EmbeddedServer, phone: SyncClient, total: int) -> None:
    with httpx.Client(base_url=server.url, auth=(server.admin_user, server.admin_password), timeout=30) as admin:
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


def test_kill_9_during_a_1000_doc_push_loses_and_duplicates_nothing(
    own_server: EmbeddedServer, phone: SyncClient
) -> None:
    push_through_a_crash(own_server, phone, 1000)


@pytest.mark.slow
def test_kill_9_during_a_5000_doc_push_loses_and_duplicates_nothing(
    own_server: EmbeddedServer, phone: SyncClient
) -> None:
    push_through_a_crash(own_server, phone, 5000)  # 15-30 s on 2 cores


def test_live_sync_backs_off_while_the_server_is_down_and_pushes_once_it_is_back(
    own_server: EmbeddedServer, phone: SyncClient, tmp_path: Path
) -> None:
    with httpx.Client(
        base_url=own_server.url, auth=(own_server.admin_user, own_server.admin_password), timeout=30
    ) as admin:
        business = provision_business(admin, own_server.url)
        docs = ShopDocs(seed=41).days(2, total=300)
        phone.create(docs)
        own_server.kill()  # the shop's internet is down
        events = tmp_path / "events.jsonl"
        live = phone.live(business, seconds=120, backoff_ms=200, events_file=events)
        deadline = time.monotonic() + 30
        while len([e for e in read_events(events) if e["event"] == "error"]) < 3:
            assert time.monotonic() < deadline and live.poll() is None, read_events(events)
            time.sleep(0.1)

        own_server.start()
        deadline = time.monotonic() + 60
        while doc_count(admin, business.db) < len(docs):
            assert time.monotonic() < deadline and live.poll() is None, read_events(events)
            time.sleep(0.1)
        report = phone.stop(live)

        assert report["ended"] == "stopped", report
        waits = [e["retry_in_ms"] for e in report["events"] if e["event"] == "error"]
        assert waits[:3] == [200, 400, 800], waits  # exponential back-off, not a busy loop
        assert_arrived_once(server_docs(admin, business.db), docs, phone.dump())
