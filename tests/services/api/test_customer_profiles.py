"""PUT /v1/customers/{phone}: a customer's name and note, with revision checks."""

from __future__ import annotations

import pytest

from shopbill.services.couch import doc_path
from shopbill.validators.checks import explain
from tests.utils.rest_shop import new_shop


@pytest.fixture(scope="module")
def shop(api, sms_file):
    return new_shop(api, sms_file)


def test_create_update_and_stale(shop, admin):
    r = shop.api.put("/v1/customers/098123 45678", headers=shop.headers, json={"name": "अनिल कुमार"})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["_id"] == "customer:+919812345678" and explain(admin.get(doc_path(shop.db, doc["_id"])).json()) == []
    assert shop.get("/v1/customers/+919812345678").json() == doc
    r = shop.api.put(
        "/v1/customers/+919812345678",
        headers=shop.headers,
        json={"rev": doc["_rev"], "name": "अनिल कुमार", "note": "Pays by UPI"},
    )
    assert r.status_code == 200 and r.json()["note"] == "Pays by UPI"
    stale = shop.api.put("/v1/customers/+919812345678", headers=shop.headers, json={"rev": doc["_rev"], "name": "x"})
    assert stale.status_code == 409 and stale.json()["error"] == "stale_revision"
    blind = shop.api.put("/v1/customers/+919812345678", headers=shop.headers, json={"name": "x"})
    assert blind.status_code == 409
    assert admin.get(doc_path(shop.db, doc["_id"])).json()["name"] == "अनिल कुमार"


def test_bad_phone_and_fields_are_422(shop):
    r = shop.api.put("/v1/customers/12", headers=shop.headers, json={"name": "x"})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "phone"
    r = shop.api.put("/v1/customers/+919811111111", headers=shop.headers, json={"name": "x" * 101})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "name"


def test_an_api_key_cannot_set_a_customer(shop):
    key = shop.post("/v1/api-keys", {"name": "crm"}).json()["key"]
    r = shop.api.put("/v1/customers/+919812345670", headers={"Authorization": f"Bearer {key}"}, json={"name": "x"})
    assert r.status_code == 403
