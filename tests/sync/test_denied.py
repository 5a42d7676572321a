"""A doc the server's rules refuse is denied with its reason; the rest of its batch lands."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.utils.couch import create_db, unique_name
from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_checks import canonical, server_docs
from tests.utils.sync_client import Remote, SyncClient, read_events

KNOWN_TYPES = ["group", "item", "customer", "sale", "payment", "invoice"]
# A small rule of our own (the project's generated rules are tested elsewhere): known types at
# schema version 1 or 2 only. A phone on a newer app writing version 3 gets refused.
MANGO_RULES = {
    "language": "query",
    "validate_doc_update": {
        "newDoc": {
            "$or": [
                {"_deleted": True},
                {"type": {"$in": KNOWN_TYPES}, "schema_version": {"$in": [1, 2]}},
            ]
        }
    },
}
JS_REASON = "schema_version must be 1 or 2 for a known type"
JS_RULES = {
    "validate_doc_update": (
        "function (newDoc) { if (newDoc._deleted) { return; }"
        f" if ({KNOWN_TYPES!r}.indexOf(newDoc.type) < 0 || [1, 2].indexOf(newDoc.schema_version) < 0)"
        f" {{ throw({{forbidden: {JS_REASON!r}}}); }} }}"
    )
}


def install_rules(admin: httpx.Client, db: str) -> str:
    """Install the rules as a Mango VDU where the server has them, else as JavaScript.
    Returns the reason the server gives for a refusal."""
    probe = create_db(admin, unique_name("probe"))
    try:
        admin.put(f"/{probe}/_design/rules", json=MANGO_RULES).raise_for_status()
        refused = admin.put(f"/{probe}/bad", json={"type": "sale", "schema_version": 3})
        mango = refused.status_code == 403
    finally:
        admin.delete(f"/{probe}")
    rules, reason = (MANGO_RULES, "document is not valid") if mango else (JS_RULES, JS_REASON)
    admin.put(f"/{db}/_design/rules", json=rules).raise_for_status()
    return reason


@pytest.fixture
def refusal_reason(admin: httpx.Client, business: Remote) -> str:
    return install_rules(admin, business.db)


def test_denied_doc_is_reported_with_its_reason_and_the_rest_of_the_batch_lands(
    phone: SyncClient, business: Remote, admin: httpx.Client, refusal_reason: str
) -> None:
    docs = ShopDocs(seed=5).days(1, total=60)
    bad = {**docs[30], "schema_version": 3}  # from a newer app, in the middle of the batch
    docs[30] = bad
    phone.create(docs)

    report = phone.sync(business, batch_size=100)  # all 60 in one _bulk_docs

    assert report["status"] == "complete", report
    assert report["push"]["docs_written"] == 59
    assert report["push"]["doc_write_failures"] == 1
    assert [(d["id"], d["error"], d["reason"], d["direction"]) for d in report["denied"]] == [
        (bad["_id"], "forbidden", refusal_reason, "push")
    ]
    on_server = server_docs(admin, business.db)
    assert sorted(on_server) == sorted(doc["_id"] for doc in docs if doc is not bad)
    local = phone.dump()
    for doc in docs:
        if doc is not bad:
            assert canonical(on_server[doc["_id"]]) == canonical(local[doc["_id"]])
    # the refused doc stays on the phone, untouched, for the owner to see and fix
    assert canonical(local[bad["_id"]]) == canonical({**bad, "_rev": local[bad["_id"]]["_rev"]})


def test_a_denied_doc_does_not_block_later_syncs(
    phone: SyncClient, business: Remote, admin: httpx.Client, refusal_reason: str
) -> None:
    shop = ShopDocs(seed=6)
    first = shop.days(1, total=20)
    first[0] = {**first[0], "type": "coupon"}  # an unknown type: refused
    phone.create(first)
    assert len(phone.sync(business)["denied"]) == 1
    later = [doc for doc in shop.days(1, total=40) if doc["type"] in ("sale", "invoice", "payment")]
    phone.create(later)

    report = phone.sync(business)

    assert report["status"] == "complete", report
    assert report["push"]["docs_written"] == len(later)
    assert report["denied"] == []
    assert set(server_docs(admin, business.db)) == {d["_id"] for d in first[1:] + later}


def test_live_sync_reports_a_denied_doc_and_keeps_syncing_the_rest(
    phone: SyncClient, business: Remote, admin: httpx.Client, refusal_reason: str, tmp_path: Path
) -> None:
    docs = ShopDocs(seed=8).days(1, total=40)
    bad = {**docs[10], "schema_version": 3}
    docs[10] = bad
    phone.create(docs)

    events = tmp_path / "events.jsonl"
    live = phone.live(business, seconds=120, events_file=events)
    expected = {doc["_id"] for doc in docs if doc is not bad}
    deadline = time.monotonic() + 60
    while set(server_docs(admin, business.db)) != expected or not any(
        e["event"] == "denied" for e in read_events(events)
    ):
        assert time.monotonic() < deadline and live.poll() is None, read_events(events)
        time.sleep(0.1)
    report = phone.stop(live)

    assert report["ended"] == "stopped", report
    denied = [e for e in report["events"] if e["event"] == "denied"]
    assert [(e["id"], e["direction"], e["reason"]) for e in denied] == [(bad["_id"], "push", refusal_reason)]
    assert set(server_docs(admin, business.db)) == expected
