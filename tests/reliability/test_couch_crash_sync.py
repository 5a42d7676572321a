"""Kill -9 the CouchDB-protocol server during a real PouchDB phone's push, and during another
phone's pull, of a shop logged in through the services: after a restart and one more sync,
every doc is on the server and on the pulling phone exactly once, byte-equal, no conflicts.
(tests/sync/test_crash.py kills a 5,000-doc push on a directly provisioned db; this goes through
the login, the generated VDU and the pull side.)"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.utils.live_accounts import live_login, live_signup
from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_checks import assert_arrived_once, canonical, doc_count, server_docs
from tests.utils.sync_client import SyncClient, installed, read_events

pytestmark = pytest.mark.skipif(not installed(), reason="tests/client not installed: run make deps")


def shop_docs_on_server(admin: httpx.Client, db: str) -> dict[str, dict]:
    return {k: v for k, v in server_docs(admin, db).items() if k != "business"}


def crash_push_and_pull(own_server, own_admin, own_services, tmp_path: Path, total: int) -> None:
    with httpx.Client(base_url=own_services.url, timeout=60) as http:
        owner = live_signup(own_services, http)
        first = live_login(http, owner, "pusher").json()
    db = first["couchdb"]["db"]
    pusher = SyncClient(tmp_path / "pusher")
    pusher.save_session(first)
    docs = ShopDocs(seed=total, device_id="pusher", series=first["invoice_series"]).days(3, total=total)
    assert pusher.create(docs)["written"] == total

    # Push: kill once a fifth has landed.
    sync = pusher.start("sync", {"batch_size": 100})
    deadline = time.monotonic() + 120
    while (landed := doc_count(own_admin, db)) < total // 5:
        assert time.monotonic() < deadline and sync.poll() is None, "push never got going"
        time.sleep(0.02)
    own_server.kill()
    interrupted = pusher.finish(sync)
    assert interrupted["status"] == "error" and interrupted["error"]["status"] is None, interrupted
    own_server.start()
    resumed = pusher.sync()
    assert resumed["status"] == "complete" and resumed["denied"] == [], resumed
    assert_arrived_once(shop_docs_on_server(own_admin, db), docs, pusher.dump())
    assert resumed["push"]["docs_written"] <= total - landed + 100

    # Pull: a new phone of the same shop (a device switch) pulls everything; kill it mid-way.
    with httpx.Client(base_url=own_services.url, timeout=60) as http:
        second = live_login(http, owner, "puller").json()
    puller = SyncClient(tmp_path / "puller")
    puller.save_session(second)
    # Kill once the pull has saved its first checkpoint (of 40): it has landed docs, far from all.
    events = tmp_path / "puller-events.jsonl"
    pull = puller.start_sync(events, batch_size=total // 40)
    deadline = time.monotonic() + 120
    while not any(e["direction"] == "pull" for e in read_events(events)):
        assert time.monotonic() < deadline and pull.poll() is None, "pull never got going"
        time.sleep(0.01)
    own_server.kill()
    cut = puller.finish(pull)
    assert cut["status"] == "error" and cut["error"]["direction"] == "pull", cut
    assert 0 < len(cut["pull"]["checkpoints"]) < 40, cut["pull"]
    own_server.start()
    done = puller.sync()
    assert done["status"] == "complete", done
    local = {k: v for k, v in puller.dump().items() if k != "business" and not k.startswith("_design/")}
    on_server = shop_docs_on_server(own_admin, db)
    assert sorted(local) == sorted(on_server) == sorted(d["_id"] for d in docs)
    for doc_id, doc in on_server.items():
        assert "_conflicts" not in doc
        assert canonical(local[doc_id]) == canonical(doc), doc_id


def test_kill_9_mid_push_and_mid_pull_of_a_logged_in_shop(own_server, own_admin, own_services, tmp_path):
    crash_push_and_pull(own_server, own_admin, own_services, tmp_path, 800)


@pytest.mark.slow
def test_kill_9_mid_push_and_mid_pull_of_a_logged_in_shop_at_length(own_server, own_admin, own_services, tmp_path):
    crash_push_and_pull(own_server, own_admin, own_services, tmp_path, 4000)
