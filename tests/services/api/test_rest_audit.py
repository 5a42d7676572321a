"""The integrity auditor finds nothing wrong with what the REST API wrote, and reports its series."""

from __future__ import annotations

import asyncio

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import LEDGER_DB
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.worker import audit_database
from shopbill.services.integrity.ledger import flagged_ids
from tests.utils.rest_shop import new_shop, new_uuid


def test_auditor_accepts_rest_made_docs(api, sms_file, couch, admin):
    shop = new_shop(api, sms_file)
    item = shop.item(name="Relay", unit_price_paise=12345, gst_rate_bp=1800)
    full = shop.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": 12300,
            "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
        },
    ).json()
    assert full["invoice"], full
    part = shop.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": 100,
            "lines": [{"item_id": item["_id"], "qty_milli": 2000}],
        },
    ).json()
    uuid_ = part["sale"]["_id"].split(":")[1]
    paid = shop.post(
        f"/v1/sales/{uuid_}/payments",
        {"id": new_uuid(), "method": "cash", "amount_paise": part["sale"]["total_paise"] - 100},
    )
    assert paid.json()["invoice"], paid.text
    note = shop.post(f"/v1/invoices/{uuid_}/credit-notes", {"id": new_uuid(), "reason": "Wrong relay"})
    assert note.status_code == 201, note.text

    async def audit() -> set[str]:
        client = Couch(
            load_settings(
                {
                    "COUCHDB_URL": couch.url,
                    "COUCHDB_ADMIN_USER": couch.admin_user,
                    "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
                }
            )
        )
        try:
            assert await audit_database(client, shop.db) > 0
            return await flagged_ids(client, shop.db)
        finally:
            await client.aclose()

    assert asyncio.run(audit()) == set()
    report = admin.get(f"/{LEDGER_DB}/series:{shop.db}").json()["series"]
    fy = full["invoice"]["number"].split("/")[1]
    assert report[f"0S/{fy}"]["count"] == 2 and report[f"0S/{fy}"]["missing"] == 0
