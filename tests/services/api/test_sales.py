"""Sales over REST: server-side pricing, invoice at paid == total, idempotent retries."""

from __future__ import annotations

import pytest

from shopbill.services.billing.numbering_server import counter_id
from shopbill.services.core.names import COUNTERS_DB
from shopbill.validators import arithmetic
from shopbill.validators.checks import explain
from tests.utils.rest_shop import new_shop, new_uuid

CUSTOMER = "+919812345678"


@pytest.fixture(scope="module")
def shop(api, sms_file):
    return new_shop(api, sms_file)


@pytest.fixture(scope="module")
def catalogue(shop):
    group = shop.group("Mixed")
    oil = shop.item(
        group, name="नारियल तेल (Coconut oil)", unit="l", hsn="1513", unit_price_paise=9999, gst_rate_bp=1800
    )
    plug = shop.item(group, name="Spark plug", unit_price_paise=25000, gst_rate_bp=2800)
    return oil, plug


def sale_body(catalogue, paid: int, **extra):
    oil, plug = catalogue
    return {
        "id": new_uuid(),
        "customer_phone": "098123 45678",
        "paid_paise": paid,
        "lines": [
            {"item_id": oil["_id"], "qty_milli": 1500},
            {"item_id": plug["_id"], "qty_milli": 2000, "discount_paise": 1000},
        ],
        **extra,
    }


def test_paid_in_full_issues_the_invoice_at_once(shop, catalogue, admin):
    # The golden example: 1.5 l oil + 2 plugs − ₹10 = ₹639.99, rounded off to ₹640 (round_off on).
    r = shop.post("/v1/sales", sale_body(catalogue, 64000))
    assert r.status_code == 201, r.text
    sale, invoice = r.json()["sale"], r.json()["invoice"]
    assert sale["total_paise"] == 64000 and sale["round_off_paise"] == 1 and sale["status"] == "invoiced"
    assert sale["customer_phone"] == CUSTOMER and sale["lines"][0]["name"] == "नारियल तेल (Coconut oil)"
    assert sale["lines"][1]["cgst_paise"] == 5359 and sale["lines"][1]["sgst_paise"] == 5360
    assert invoice["_id"] == sale["_id"].replace("sale:", "invoice:")
    assert invoice["number"].startswith("0S/") and invoice["device_id"] == "server"
    for doc_id in (sale["_id"], invoice["_id"]):
        stored = admin.get(f"/{shop.db}/{doc_id}").json()
        assert explain(stored) == [], stored


def test_paid_less_stores_an_incomplete_sale_and_no_invoice(shop, catalogue, admin):
    r = shop.post("/v1/sales", sale_body(catalogue, 10000))
    assert r.status_code == 201, r.text
    assert r.json()["invoice"] is None and r.json()["sale"]["status"] == "incomplete"
    assert r.json()["due_paise"] == 54000
    uuid_ = r.json()["sale"]["_id"].split(":")[1]
    assert admin.get(f"/{shop.db}/invoice:{uuid_}").status_code == 404


def test_same_sale_id_twice_makes_one_sale_and_one_invoice(shop, catalogue, admin):
    body = sale_body(catalogue, 64000)
    first = shop.post("/v1/sales", body)
    again = shop.post("/v1/sales", body)
    assert first.status_code == 201 and again.status_code == 200, again.text
    assert again.json() == first.json()
    sale_id = first.json()["sale"]["_id"]
    assert admin.get(f"/{shop.db}/{sale_id}").json()["_rev"].startswith("1-")
    invoices = admin.post(f"/{shop.db}/_find", json={"selector": {"type": "invoice", "sale_id": sale_id}})
    assert len(invoices.json()["docs"]) == 1
    changed = {**body, "paid_paise": 10000}
    r = shop.post("/v1/sales", changed)
    assert r.status_code == 409 and r.json()["error"] == "idempotency_conflict"


def test_numbers_are_consecutive_in_the_server_series(shop, catalogue, admin):
    numbers = [shop.post("/v1/sales", sale_body(catalogue, 64000)).json()["invoice"]["number"] for _ in range(3)]
    counters = [int(n.split("/")[2]) for n in numbers]
    assert counters == list(range(counters[0], counters[0] + 3))
    fy = numbers[0].split("/")[1]
    counter = admin.get(f"/{COUNTERS_DB}/{counter_id(shop.db, '0S')}").json()
    assert counter["last"][fy] == counters[-1]


def test_inter_state_sale_uses_igst(shop, catalogue):
    body = sale_body(catalogue, 0, customer_state_code="29")
    sale = shop.post("/v1/sales", body).json()["sale"]
    assert sale["supply"] == "inter_state" and sale["place_of_supply"] == "29"  # kept for the invoice
    assert all(ln["cgst_paise"] == ln["sgst_paise"] == 0 and ln["igst_paise"] > 0 for ln in sale["lines"])
    expected = arithmetic.sale_money([arithmetic.line_input(ln) for ln in sale["lines"]], "inter_state", True)
    assert sale["total_paise"] == expected["total_paise"]
    same_state = shop.post("/v1/sales", sale_body(catalogue, 0, customer_state_code="33")).json()["sale"]
    assert same_state["supply"] == "intra_state"


def test_bad_sales_get_422_naming_fields(shop, catalogue):
    body = sale_body(catalogue, 64001)
    r = shop.post("/v1/sales", body)
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "paid_paise"
    body = sale_body(catalogue, 0)
    body["lines"][1]["item_id"] = f"item:{new_uuid()}"
    body["lines"][0]["discount_paise"] = 10**6
    r = shop.post("/v1/sales", body)
    assert r.status_code == 422
    assert {f["field"] for f in r.json()["fields"]} == {"lines.0.discount_paise", "lines.1.item_id"}
    r = shop.post("/v1/sales", {**sale_body(catalogue, 0), "customer_phone": "12", "lines": []})
    assert r.status_code == 422 and {f["field"] for f in r.json()["fields"]} == {"customer_phone", "lines"}
    r = shop.post("/v1/sales", {**sale_body(catalogue, 0), "paid_paise": 1.5})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "paid_paise"


def test_an_api_key_cannot_make_a_sale(shop, catalogue):
    r = shop.api.post(
        "/v1/sales", json=sale_body(catalogue, 0), headers={"Authorization": "Bearer sbk_0123456789abcdef_" + "x" * 43}
    )
    assert r.status_code == 403 and r.json()["error"] == "read_only_key"
