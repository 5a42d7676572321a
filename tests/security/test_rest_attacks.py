"""Attacks on the REST API over a shop's data: other tenants' ids, forged branches of
server-issued invoices, hostile cursors and filters, tampering with REST-made docs from the phone."""

from __future__ import annotations

import pytest

from tests.utils.rest_shop import new_shop, new_uuid


@pytest.fixture(scope="module")
def shops(api, sms_file):
    return new_shop(api, sms_file), new_shop(api, sms_file)


@pytest.fixture(scope="module")
def sold(shops):
    a, _ = shops
    item = a.item(name="Fuse 10A", unit_price_paise=5000, gst_rate_bp=1800)
    r = a.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": 5000,
            "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
        },
    )
    assert r.status_code == 201, r.text
    return item, r.json()


def test_another_shops_item_cannot_be_sold_or_priced(shops, sold):
    _, b = shops
    item, _ = sold
    r = b.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": 0,
            "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
        },
    )
    assert r.status_code == 422 and r.json()["fields"] == [{"field": "lines.0.item_id", "message": "no such item"}]


def test_another_shops_sale_cannot_be_paid_credited_or_read(shops, sold):
    a, b = shops
    _, sale = sold
    uuid_ = sale["sale"]["_id"].split(":")[1]
    assert (
        b.post(f"/v1/sales/{uuid_}/payments", {"id": new_uuid(), "amount_paise": 1, "method": "cash"}).status_code
        == 404
    )
    assert b.post(f"/v1/invoices/{uuid_}/credit-notes", {"id": new_uuid(), "reason": "x"}).status_code == 404
    assert b.get(f"/v1/sales/{uuid_}").status_code == 404
    assert a.get(f"/v1/sales/{uuid_}").json()["sale"] == sale["sale"]


def test_a_forged_branch_of_a_server_invoice_is_never_served(couch, shops, sold, admin):
    """The phone pushes a different first revision of the server's invoice (new_edits=false):
    the VDU cannot see it, CouchDB may make it the winner, REST still serves the sealed one."""
    a, _ = shops
    _, sale = sold
    invoice = sale["invoice"]
    uuid_ = invoice["_id"].split(":")[1]
    assert a.get(f"/v1/invoices/{uuid_}").json() == invoice  # sealed on first read
    forged = {**invoice, "_rev": "1-" + "f" * 32, "number": "0S/2627/999999", "customer_phone": "+919800000000"}
    creds = a.login["couchdb"]
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        r = phone.post(f"/{a.db}/_bulk_docs", json={"docs": [forged], "new_edits": False})
        assert r.status_code == 201, r.text
    stored = admin.get(f"/{a.db}/{invoice['_id']}", params={"conflicts": "true"}).json()
    assert stored["_rev"] == forged["_rev"] or forged["_rev"] in stored.get("_conflicts", [])
    for _ in range(2):
        assert a.get(f"/v1/invoices/{uuid_}").json() == invoice
    listed = a.get("/v1/invoices", params={"number": "0S/2627/999999"}).json()["invoices"]
    assert listed == []
    page = a.get(f"/v1/invoices/{uuid_}/print").text
    assert "999999" not in page and invoice["number"] in page


@pytest.mark.parametrize("after", ["zzz", "invoice;", "", "item:", "\u0000", "group:" + "\uffff" * 50])
def test_hostile_cursors_stay_inside_the_type(shops, sold, after):
    a, _ = shops
    for path, key, prefix in (
        ("/v1/items", "items", "item:"),
        ("/v1/groups", "groups", "group:"),
        ("/v1/invoices", "invoices", "invoice:"),
    ):
        r = a.get(path, params={"after": after})
        assert r.status_code in (200, 422), r.text
        if r.status_code == 200:
            assert all(d["_id"].startswith(prefix) for d in r.json()[key])


@pytest.mark.parametrize(
    "params",
    [
        {"group_id": '{"$gt": null}'},
        {"group_id": "group:../../_users"},
        {"number": "../x"},
        {"customer": '{"$ne": 1}'},
        {"archived": "maybe"},
        {"limit": 0},
        {"limit": 100000},
    ],
)
def test_injection_shaped_filters_get_422(shops, params):
    a, _ = shops
    path = "/v1/items" if set(params) & {"group_id", "archived", "limit"} else "/v1/invoices"
    r = a.get(path, params=params)
    assert r.status_code == 422 and r.json()["fields"], r.text


def test_phone_cannot_unissue_a_rest_invoice_or_rewrite_the_sale(couch, shops, sold, admin):
    a, _ = shops
    _, sale = sold
    creds = a.login["couchdb"]
    stored = admin.get(f"/{a.db}/{sale['sale']['_id']}").json()
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        back = phone.put(f"/{a.db}/{stored['_id']}", json={**stored, "status": "incomplete"})
        gone = phone.delete(
            f"/{a.db}/{sale['invoice']['_id']}",
            params={"rev": admin.get(f"/{a.db}/{sale['invoice']['_id']}").json()["_rev"]},
        )
    assert back.status_code == 403 and gone.status_code == 403
    assert admin.get(f"/{a.db}/{stored['_id']}").json()["status"] == "invoiced"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/items",
        "/v1/customers/+919812345678/history",
        "/v1/customers",
        "/v1/reports/sales?from=2026-11-01&to=2026-11-30",
        "/v1/reports/incomplete",
    ],
)
def test_guessed_and_malformed_api_keys_get_401(api, path):
    for key in ("sbk_", "sbk_0123456789abcdef_" + "A" * 43, "sbk_../../x", "sbk_" + "a" * 5000):
        r = api.get(path, headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 401, (key[:30], r.status_code)
