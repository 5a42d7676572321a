"""Later payments: overpaying refused, the invoice issued exactly once even when payments race."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from shopbill.services.billing.numbering_server import counter_id
from shopbill.services.core.names import COUNTERS_DB
from tests.utils.docs import example
from tests.utils.rest_shop import new_shop, new_uuid


@pytest.fixture(scope="module")
def shop(api, sms_file):
    return new_shop(api, sms_file)


@pytest.fixture(scope="module")
def item(shop):
    return shop.item(name="Battery", unit_price_paise=100000, gst_rate_bp=2800)


def open_sale(shop, item, paid: int = 0) -> str:
    r = shop.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": paid,
            "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
        },
    )
    assert r.status_code == 201 and r.json()["sale"]["total_paise"] == 100000, r.text
    return str(r.json()["sale"]["_id"].split(":")[1])


def pay(client, headers, sale_uuid: str, amount: int, payment_id: str | None = None):
    return client.post(
        f"/v1/sales/{sale_uuid}/payments",
        headers=headers,
        json={"id": payment_id or new_uuid(), "amount_paise": amount, "method": "upi"},
    )


def invoices_of(admin, db: str, sale_uuid: str) -> list:
    r = admin.post(f"/{db}/_find", json={"selector": {"type": "invoice", "sale_id": f"sale:{sale_uuid}"}})
    return r.json()["docs"]


def test_payments_until_covered_issue_the_invoice(shop, item, admin):
    sale = open_sale(shop, item, paid=30000)
    r = pay(shop.api, shop.headers, sale, 50000)
    assert r.status_code == 201 and r.json()["invoice"] is None, r.text
    assert shop.get(f"/v1/sales/{sale}").json()["due_paise"] == 20000
    over = pay(shop.api, shop.headers, sale, 20001)
    assert over.status_code == 422 and over.json()["fields"][0]["field"] == "amount_paise"
    last = pay(shop.api, shop.headers, sale, 20000)
    assert last.status_code == 201
    invoice = last.json()["invoice"]
    assert invoice["_id"] == f"invoice:{sale}" and invoice["paid_paise"] == invoice["total_paise"] == 100000
    view = shop.get(f"/v1/sales/{sale}").json()
    assert view["sale"]["status"] == "invoiced" and view["due_paise"] == 0 and len(view["payments"]) == 2
    r = pay(shop.api, shop.headers, sale, 1)
    assert r.status_code == 409 and r.json()["error"] == "sale_settled"


def test_retried_payment_is_recorded_once(shop, item, admin):
    sale, payment_id = open_sale(shop, item), new_uuid()
    first = pay(shop.api, shop.headers, sale, 40000, payment_id)
    again = pay(shop.api, shop.headers, sale, 40000, payment_id)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["payment"]["_id"] == first.json()["payment"]["_id"]
    assert shop.get(f"/v1/sales/{sale}").json()["due_paise"] == 60000
    clash = pay(shop.api, shop.headers, sale, 1000, payment_id)
    assert clash.status_code == 409 and clash.json()["error"] == "idempotency_conflict"


def test_racing_payments_issue_exactly_one_invoice(app_factory, shop, item, admin):
    """Two replicas of the services, many payments at once: never overpaid, one invoice, no gap."""
    with app_factory() as replica_a, app_factory() as replica_b:
        for _ in range(2):
            sale = open_sale(shop, item)
            before = admin.get(f"/{COUNTERS_DB}/{counter_id(shop.db, '0S')}").json().get("last", {})
            # 8 payments of ₹500 racing for a ₹1000 due: exactly two can be accepted.
            with ThreadPoolExecutor(8) as pool:
                answers = list(
                    pool.map(
                        lambda i, sale=sale: pay((replica_a, replica_b)[i % 2], shop.headers, sale, 50000), range(8)
                    )
                )
            codes = sorted(r.status_code for r in answers)
            assert codes.count(201) == 2, [r.text for r in answers]
            assert set(codes) <= {201, 409, 422}
            issued = {r.json()["invoice"]["number"] for r in answers if r.status_code == 201 and r.json()["invoice"]}
            assert len(issued) == 1
            assert len(invoices_of(admin, shop.db, sale)) == 1
            payments = admin.post(
                f"/{shop.db}/_find", json={"selector": {"type": "payment", "sale_id": f"sale:{sale}"}}
            ).json()["docs"]
            assert sum(p["amount_paise"] for p in payments) == 100000
            # exactly one number was taken from the series: no gap left by the losers
            number = issued.pop()
            fy = number.split("/")[1]
            after = admin.get(f"/{COUNTERS_DB}/{counter_id(shop.db, '0S')}").json()["last"]
            assert after[fy] == before.get(fy, 0) + 1 == int(number.split("/")[2])


def test_racing_retries_of_one_full_payment_sale(app_factory, shop, item, admin):
    body = {
        "id": new_uuid(),
        "customer_phone": "+919812345678",
        "paid_paise": 100000,
        "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
    }
    with app_factory() as replica_a, app_factory() as replica_b:
        with ThreadPoolExecutor(6) as pool:
            answers = list(
                pool.map(
                    lambda i: (replica_a, replica_b)[i % 2].post("/v1/sales", json=body, headers=shop.headers), range(6)
                )
            )
    assert sorted(r.status_code for r in answers).count(201) == 1, [r.text for r in answers]
    assert {r.json()["invoice"]["number"] for r in answers} == {answers[0].json()["invoice"]["number"]}
    assert len(invoices_of(admin, shop.db, body["id"])) == 1


def test_retrying_the_sale_after_later_payments_returns_it_invoiced(shop, item):
    body = {
        "id": new_uuid(),
        "customer_phone": "+919812345678",
        "paid_paise": 40000,
        "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
    }
    assert shop.post("/v1/sales", body).json()["due_paise"] == 60000
    pay(shop.api, shop.headers, body["id"], 10000)
    assert shop.post("/v1/sales", body).json()["due_paise"] == 50000
    last = pay(shop.api, shop.headers, body["id"], 50000).json()["invoice"]
    again = shop.post("/v1/sales", body)
    assert again.status_code == 200 and again.json()["invoice"] == last and again.json()["due_paise"] == 0
    assert again.json()["sale"]["status"] == "invoiced"


def test_a_phone_made_incomplete_sale_is_settled_over_rest(couch, shop, admin):
    sale = example("sale")
    uuid_ = new_uuid()
    sale.update(_id=f"sale:{uuid_}", paid_paise=10000, status="incomplete")
    creds = shop.login["couchdb"]
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        assert phone.put(f"/{shop.db}/{sale['_id']}", json=sale).status_code == 201
    r = pay(shop.api, shop.headers, uuid_, 54000)
    assert r.status_code == 201, r.text
    invoice = r.json()["invoice"]
    assert invoice["number"].startswith("0S/") and invoice["lines"] == sale["lines"]
    assert invoice["total_paise"] == invoice["paid_paise"] == 64000
    assert admin.get(f"/{shop.db}/{sale['_id']}").json()["status"] == "invoiced"


def test_an_accepted_payment_lost_by_a_crash_is_written_by_the_next_request(shop, item, admin):
    """The journal accepted a payment, then the process died before writing its doc."""
    sale = open_sale(shop, item)
    lost = {
        "_id": f"payment:{new_uuid()}",
        "type": "payment",
        "schema_version": 1,
        "created_at": "2026-11-25T10:00:00.000Z",
        "updated_at": "2026-11-25T10:00:00.000Z",
        "device_id": "server",
        "sale_id": f"sale:{sale}",
        "amount_paise": 30000,
        "method": "cash",
        "paid_at": "2026-11-25T10:00:00.000Z",
    }
    journal = f"paid:{shop.db}:{sale}"
    assert admin.put(f"/{COUNTERS_DB}/{journal}", json={"payments": {lost["_id"]: lost}}).status_code == 201
    over = pay(shop.api, shop.headers, sale, 70001)
    assert over.status_code == 422  # the lost payment still counts
    assert admin.get(f"/{shop.db}/{lost['_id']}").json()["amount_paise"] == 30000  # and now exists
    assert pay(shop.api, shop.headers, sale, 70000).json()["invoice"] is not None


def test_a_sale_whose_invoice_was_lost_by_a_crash_gets_it_on_retry(shop, item, admin):
    """The sale was written, then the process died before the invoice: the retry issues it."""
    body = {
        "id": new_uuid(),
        "customer_phone": "+919812345678",
        "paid_paise": 100000,
        "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
    }
    model = shop.post("/v1/sales", {**body, "id": new_uuid()}).json()["sale"]
    crashed = {k: v for k, v in model.items() if k != "_rev"} | {"_id": f"sale:{body['id']}"}
    assert admin.put(f"/{shop.db}/{crashed['_id']}", json=crashed).status_code == 201
    assert admin.get(f"/{shop.db}/invoice:{body['id']}").status_code == 404
    again = shop.post("/v1/sales", body)
    assert again.status_code == 200 and again.json()["invoice"]["_id"] == f"invoice:{body['id']}"
    assert len(invoices_of(admin, shop.db, body["id"])) == 1
