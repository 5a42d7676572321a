"""Days offline, then one sync: everything arrives once, byte-equal; checkpoints; pulls."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_checks import assert_arrived_once, canonical, server_docs
from tests.utils.sync_client import Remote, SyncClient


def test_500_docs_made_offline_over_3_days_arrive_once_and_byte_equal(
    phone: SyncClient, business: Remote, admin: httpx.Client
) -> None:
    docs = ShopDocs().days(3, total=500)
    days = sorted({doc["created_at"][:10] for doc in docs})
    assert len(days) == 3
    for day in days:  # each day's work, written on the phone with no server at all
        todays = [doc for doc in docs if doc["created_at"].startswith(day)]
        assert phone.create(todays)["written"] == len(todays)

    report = phone.sync(business)

    assert report["status"] == "complete", report
    assert report["push"]["docs_written"] == 500
    assert report["push"]["doc_write_failures"] == 0
    assert report["denied"] == []
    assert report["pull"]["docs_written"] == 0  # the phone's own docs do not come back
    local = phone.dump()
    assert_arrived_once(server_docs(admin, business.db), docs, local)
    assert [canonical(local[doc["_id"]]) for doc in docs] == [
        canonical({**doc, "_rev": local[doc["_id"]]["_rev"]}) for doc in docs
    ]


def test_second_sync_resumes_from_checkpoints_and_transfers_nothing(phone: SyncClient, business: Remote) -> None:
    phone.create(ShopDocs(seed=11).days(1, total=40))
    first = phone.sync(business, batch_size=25)
    assert first["status"] == "complete", first
    pushed = first["push"]
    assert len(pushed["checkpoints"]) == 2 and pushed["checkpoints"][-1] == pushed["last_seq"]
    pulled_to = first["pull"]["last_seq"]

    second = phone.sync(business)

    assert second["status"] == "complete", second
    for side in ("push", "pull"):
        assert second[side]["docs_read"] == 0
        assert second[side]["docs_written"] == 0
    requests = second["http"]["counts"]
    # nothing to compare or send: the push found no local change since its checkpoint
    assert "POST _revs_diff" not in requests and "POST _bulk_docs" not in requests, requests
    assert "POST _bulk_get" not in requests, requests
    # and the pull asked the server only for changes after its checkpoint
    assert second["http"]["changes_since"] == [str(pulled_to)]


def test_a_change_made_on_the_server_arrives_on_the_phone_by_pull(
    phone: SyncClient, business: Remote, admin: httpx.Client
) -> None:
    shop = ShopDocs(seed=3)
    docs = shop.catalogue(datetime.now(tz=UTC))
    phone.create(docs)
    assert phone.sync(business)["status"] == "complete"
    item = admin.get(f"/{business.db}/{docs[-1]['_id']}").raise_for_status().json()
    renamed = {**item, "name": "Grease (500 g tin)", "unit_price_paise": 22000, "updated_at": "2026-11-26T04:00:00Z"}
    rev = admin.put(f"/{business.db}/{item['_id']}", json=renamed).raise_for_status().json()["rev"]
    added = {**docs[0], "_id": "group:0f0e0d0c-0b0a-4988-8776-665544332211", "name": "Batteries"}
    admin.put(f"/{business.db}/{added['_id']}", json=added).raise_for_status()

    report = phone.sync(business)

    assert report["status"] == "complete", report
    assert report["pull"]["docs_written"] == 2
    assert report["push"]["docs_written"] == 0
    local = phone.dump()
    assert local[item["_id"]] == {**renamed, "_rev": rev}
    assert local[added["_id"]]["name"] == "Batteries"
