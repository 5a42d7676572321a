"""An invoice keeps the shop's details it was issued with (`seller`): correcting the shop's GSTIN
or address later (PATCH /v1/business) changes no issued invoice, on the REST sale path, the later
payment path and the print page; an invoice from before the snapshot prints today's details."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from shopbill.validators.checks import explain
from tests.services.api.test_exports import read_csv
from tests.services.api.test_invoices import node_view, phone_writes
from tests.utils.docs import invoice as phone_invoice
from tests.utils.rest_shop import GSTIN, new_shop, new_uuid

CORRECTED = "33AAACM1234A2ZE"  # the same state (33), the entity digit corrected: valid check character
ADDRESS = "12 Gandhi Road, Coimbatore 641001"


@pytest.fixture
def shop(api, sms_file):
    return new_shop(api, sms_file, address=ADDRESS)


def sell(shop, item, paid: int | None = None) -> dict[str, Any]:
    body = {"id": new_uuid(), "customer_phone": "+919812345678", "lines": [{"item_id": item["_id"], "qty_milli": 1000}]}
    r = shop.post("/v1/sales", {**body, "paid_paise": item["unit_price_paise"] if paid is None else paid})
    assert r.status_code == 201, r.text
    return dict(r.json())


def correct_the_shop(shop, **changes: Any) -> dict[str, Any]:
    rev = shop.get("/v1/business").json()["_rev"]
    r = shop.patch("/v1/business", {"rev": rev, **changes})
    assert r.status_code == 200, r.text
    return dict(r.json())


def printed(shop, invoice: dict[str, Any]) -> dict[str, Any]:
    page = shop.get(f"/v1/invoices/{invoice['sale_id'].split(':')[1]}/print")
    assert page.status_code == 200, page.text
    data = json.loads(
        re.search(r'<script id="invoice-data" type="application/json">(.*?)</script>', page.text).group(1)
    )
    return node_view(data)


def test_the_invoice_keeps_the_shop_details_it_was_issued_with(shop):
    item = shop.item(unit_price_paise=10000, gst_rate_bp=1800)
    first = sell(shop, item)["invoice"]
    business = shop.get("/v1/business").json()
    assert first["seller"] == {
        "name": business["name"],
        "address": ADDRESS,
        "phone": business["phone"],
        "gstin": GSTIN,
        "state_code": "33",
    }
    correct_the_shop(shop, gstin=CORRECTED, address="7 Avinashi Road, Coimbatore 641018", name="Murugan Spares")
    uuid_ = first["sale_id"].split(":")[1]
    assert shop.get(f"/v1/invoices/{uuid_}").json()["seller"] == first["seller"]
    view = printed(shop, first)
    assert view["supplier"][:3] == ["Sri Murugan Auto Spares", ADDRESS, f"GSTIN: {GSTIN}"]
    assert view["signature"].startswith("For Sri Murugan Auto Spares")
    later = sell(shop, item)["invoice"]
    assert later["seller"]["gstin"] == CORRECTED and later["seller"]["name"] == "Murugan Spares"
    assert f"GSTIN: {CORRECTED}" in printed(shop, later)["supplier"]


def test_an_invoice_issued_by_a_later_payment_has_the_details_of_that_moment(shop):
    item = shop.item(unit_price_paise=10000, gst_rate_bp=1800)
    sale = sell(shop, item, paid=0)["sale"]
    correct_the_shop(shop, gstin="")  # no longer registered: a Bill of Supply from now on
    r = shop.post(
        f"/v1/sales/{sale['_id'].split(':')[1]}/payments", {"id": new_uuid(), "amount_paise": 10000, "method": "upi"}
    )
    assert r.status_code == 201, r.text
    invoice = r.json()["invoice"]
    assert "gstin" not in invoice["seller"] and invoice["seller"]["state_code"] == "33"
    assert printed(shop, invoice)["title"] == "Bill of Supply"


def test_an_invoice_without_a_snapshot_prints_todays_business_doc(couch, shop):
    """Invoices issued before the snapshot existed have none: the print falls back to the business doc."""
    old = {
        k: v for k, v in phone_invoice(number=f"{shop.login['invoice_series']}/2627/000001").items() if k != "seller"
    }
    assert explain(old) == []
    phone_writes(couch, shop, old)
    correct_the_shop(shop, gstin=CORRECTED)
    view = printed(shop, old)
    assert f"GSTIN: {CORRECTED}" in view["supplier"] and view["title"] == "Tax Invoice"


def test_a_phone_invoice_prints_its_own_snapshot_not_the_business_doc(couch, shop):
    doc = phone_invoice(number=f"{shop.login['invoice_series']}/2627/000002")
    doc["seller"] = {"name": "Old Name Traders", "state_code": "33"}  # issued while unregistered
    phone_writes(couch, shop, doc)
    view = printed(shop, doc)
    assert view["title"] == "Bill of Supply" and view["supplier"] == ["Old Name Traders", "State: Tamil Nadu (33)"]
    assert not any(GSTIN in line for line in view["supplier"])


def test_gstr1_reports_the_state_an_intra_state_invoice_was_issued_in(shop):
    item = shop.item(unit_price_paise=10000, gst_rate_bp=1800)
    before = sell(shop, item)["invoice"]
    correct_the_shop(shop, gstin="29AABCT1332L1ZA", state_code="29")  # the shop's real registration
    after = sell(shop, item)["invoice"]
    rows = {r["document_number"]: r for r in read_csv(shop.get("/v1/exports/gstr1.csv"))}
    assert rows[before["number"]]["place_of_supply"] == "33" and rows[after["number"]]["place_of_supply"] == "29"
