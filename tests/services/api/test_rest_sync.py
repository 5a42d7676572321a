"""REST-made docs reach the phone by a real PouchDB sync, and the phone's edits come back."""

from __future__ import annotations

import pytest

from tests.utils.rest_shop import new_shop, new_uuid
from tests.utils.sync_checks import canonical, server_docs
from tests.utils.sync_client import SyncClient, installed

pytestmark = pytest.mark.skipif(
    not installed(), reason="the reference PouchDB client is not installed (make deps runs npm ci in tests/client)"
)


def test_rest_docs_appear_on_the_phone_and_phone_edits_come_back(api, sms_file, admin, tmp_path):
    shop = new_shop(api, sms_file)
    item = shop.item(name="தேங்காய் எண்ணெய்", unit="l", hsn="1513", unit_price_paise=9999, gst_rate_bp=1800)
    paid = shop.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": 15000,
            "lines": [{"item_id": item["_id"], "qty_milli": 1500}],
        },
    ).json()
    open_sale = shop.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": 0,
            "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
        },
    ).json()
    payment = shop.post(
        f"/v1/sales/{open_sale['sale']['_id'].split(':')[1]}/payments",
        {"id": new_uuid(), "amount_paise": 5000, "method": "upi"},
    ).json()["payment"]
    note = shop.post(
        f"/v1/invoices/{paid['sale']['_id'].split(':')[1]}/credit-notes", {"id": new_uuid(), "reason": "Leaking tin"}
    ).json()
    made = [
        item["group_id"],
        item["_id"],
        paid["sale"]["_id"],
        paid["invoice"]["_id"],
        open_sale["sale"]["_id"],
        payment["_id"],
        note["_id"],
    ]

    phone = SyncClient(tmp_path / "phone")
    phone.save_session(shop.login)
    report = phone.sync()
    assert report["status"] == "complete" and report["denied"] == [], report
    local, on_server = phone.dump(), server_docs(admin, shop.db)
    for doc_id in made:
        assert canonical(local[doc_id]) == canonical(on_server[doc_id]), doc_id

    # The phone edits the item offline; it passes the same VDU on its way back, and REST sees it.
    edited = {
        **local[item["_id"]],
        "unit_price_paise": 10999,
        "updated_at": "2026-11-25T12:00:00Z",
        "device_id": shop.login["device_id"],
    }
    phone.create([edited])
    report = phone.sync()
    assert report["status"] == "complete" and report["denied"] == [], report
    fresh = shop.get(f"/v1/items/{item['_id'].split(':')[1]}").json()
    assert fresh["unit_price_paise"] == 10999 and fresh["_rev"] != item["_rev"]
    stale = shop.patch(f"/v1/items/{item['_id'].split(':')[1]}", {"rev": item["_rev"], "name": "x"})
    assert stale.status_code == 409  # the REST caller's old revision never overwrites the phone's edit
