"""A replaced device (its CouchDB password changed) gets a 401, stops, and keeps its documents."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_checks import change_password, server_docs, wait_until_refused
from tests.utils.sync_client import Remote, SyncClient, read_events


def test_one_shot_sync_reports_401_and_stops_when_the_device_was_replaced(
    phone: SyncClient, business: Remote, admin: httpx.Client
) -> None:
    shop = ShopDocs(seed=21)
    synced = shop.days(1, total=30)
    phone.create(synced)
    assert phone.sync(business)["status"] == "complete"
    unsynced = [doc for doc in shop.days(1, total=60) if doc["type"] in ("sale", "invoice")]
    phone.create(unsynced)

    change_password(admin, business.username, "replaced-by-another-phone")
    wait_until_refused(business)
    started = time.monotonic()
    report = phone.sync(business)
    took = time.monotonic() - started

    assert report["status"] == "unauthorized", report
    assert report["error"]["status"] == 401
    assert report["error"]["direction"] == "push"
    assert report["pull"] is None  # stopped: no pull attempted after the 401
    assert took < 20, f"the client took {took:.1f} s to give up: it must not retry a 401"
    # nothing unsynced reached the server, and the phone still holds every document
    assert set(server_docs(admin, business.db)) == {doc["_id"] for doc in synced}
    assert set(phone.dump()) == {doc["_id"] for doc in synced + unsynced}


def test_live_sync_stops_on_401_instead_of_retrying_forever(
    phone: SyncClient, business: Remote, admin: httpx.Client
) -> None:
    docs = ShopDocs(seed=22).days(1, total=25)
    phone.create(docs)
    live = phone.live(business, seconds=120)
    deadline = time.monotonic() + 30
    while len(server_docs(admin, business.db)) < len(docs):  # live sync is up and pushing
        assert time.monotonic() < deadline and live.poll() is None, "live sync never pushed"
        time.sleep(0.1)

    change_password(admin, business.username, "replaced-by-another-phone")
    changed_at = time.monotonic()
    wait_until_refused(business)
    # any change in the shop's db wakes the phone's open feed, as a sale on another phone would
    woken = {**docs[0], "_id": "group:5a5a5a5a-0000-4000-8000-000000000002", "name": "Wake"}
    admin.put(f"/{business.db}/{woken['_id']}", json=woken).raise_for_status()
    report = phone.finish(live)
    ended_after = time.monotonic() - changed_at

    assert report["ended"] == "unauthorized", report
    assert ended_after < 30, f"live sync took {ended_after:.0f} s to stop"
    events = report["events"]
    assert events[-1]["event"] == "unauthorized" and events[-1]["status"] == 401, events
    # the server may cut the open feed first, which looks like any network error: one retry
    # (after the back-off) then meets the 401, and nothing is tried after it
    assert len([e for e in events if e["event"] == "error"]) <= 2, events
    assert {doc["_id"] for doc in docs} <= set(phone.dump())  # every local doc kept


def test_replaced_phone_receives_nothing_written_after_the_password_change(
    phone: SyncClient, business: Remote, admin: httpx.Client, tmp_path: Path
) -> None:
    # Holds on any server: even where the open feed survives the password change (Apache
    # CouchDB, DOMAIN.md) and announces the new doc, fetching its body needs a new request: 401.
    docs = ShopDocs(seed=23).days(1, total=20)
    admin.post(f"/{business.db}/_bulk_docs", json={"docs": docs}).raise_for_status()
    events = tmp_path / "events.jsonl"
    live = phone.live(business, seconds=60, events_file=events)
    deadline = time.monotonic() + 30
    while not any(e["event"] == "paused" for e in read_events(events)):  # pulled, now waiting
        assert time.monotonic() < deadline and live.poll() is None, "live sync never caught up"
        time.sleep(0.1)

    change_password(admin, business.username, "replaced-by-another-phone")
    wait_until_refused(business)
    after = {**docs[0], "_id": "group:5a5a5a5a-0000-4000-8000-000000000001", "name": "After"}
    admin.put(f"/{business.db}/{after['_id']}", json=after).raise_for_status()
    report = phone.finish(live)

    assert report["ended"] == "unauthorized", report
    pulled = {doc_id for e in report["events"] if e["event"] == "change" for doc_id in e["docs"]}
    assert pulled == {doc["_id"] for doc in docs}
    assert after["_id"] not in phone.dump()
