"""Hostile request bodies and injection-shaped values against the services, and hostile documents
against the business database: every one refused with a 4xx JSON answer, nothing changed."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import pytest

from shopbill.services.api.limits import MAX_BODY_BYTES
from tests.utils.accounts import bearer, login, signup
from tests.utils.docs import example

JSON = {"content-type": "application/json"}
ENDPOINTS = [
    "/v1/signup/otp",
    "/v1/signup/verify",
    "/v1/signup/complete",
    "/v1/login",
    "/v1/token/refresh",
    "/v1/password/reset/otp",
    "/v1/password/reset/complete",
]


def assert_refused(r, status: int, error: str) -> None:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert body["error"] == error and body["detail"], body
    assert "Traceback" not in r.text


@pytest.mark.parametrize("path", ENDPOINTS)
def test_oversized_bodies_get_413_before_being_read(api, path):
    r = api.post(path, content=b'{"phone": "' + b"9" * (MAX_BODY_BYTES + 1) + b'"}', headers=JSON)
    assert_refused(r, 413, "body_too_large")


def test_oversized_chunked_body_without_length_gets_413(api):
    def chunks() -> Iterator[bytes]:
        yield b'{"phone": "'
        for _ in range(100):
            yield b"9" * 4096
        yield b'"}'

    r = api.post("/v1/login", content=chunks(), headers=JSON)
    assert_refused(r, 413, "body_too_large")


def test_a_body_just_under_the_limit_is_judged_on_its_fields(api):
    padding = "x" * (MAX_BODY_BYTES - 100)
    r = api.post("/v1/signup/otp", content=json.dumps({"phone": padding}), headers=JSON)
    assert_refused(r, 422, "validation_failed")
    assert r.json()["fields"][0]["field"] == "phone"


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"phone": ' + b'{"a": ' * 40 + b"1" + b"}" * 41,
        b'{"phone": "\xff\xfe\xfd"}',
        b'{"phone": "\xed\xa0\x80"}',  # a UTF-16 surrogate encoded in UTF-8
        b'{"phone": 1' + b"0" * 5000 + b"}",
        b"{not json",
        b'{"phone": "+919812345678",}',
        b"\x00\x01\x02",
    ],
    ids=["deep-array", "deep-object", "invalid-utf8", "surrogate", "huge-int", "malformed", "trailing-comma", "binary"],
)
@pytest.mark.parametrize("path", ["/v1/signup/otp", "/v1/login"])
def test_malformed_json_gets_422_naming_the_body(api, path, body):
    r = api.post(path, content=body, headers=JSON)
    assert_refused(r, 422, "validation_failed")
    assert r.json()["fields"][0]["field"] == "body"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"phone": 1e308}, "phone"),
        ({"phone": 98765_43210}, "phone"),
        ({"phone": None}, "phone"),
        ({"phone": {"$gt": ""}}, "phone"),
        ({"phone": ["+919812345678"]}, "phone"),
        ({"phone": "+919812345678' OR '1'='1"}, "phone"),
        ({"phone": "../../_users"}, "phone"),
        ({"phone": "+919812345678", "$where": "1"}, "$where"),
        ({"phone": "+91 98\u202e12345678x"}, "phone"),
    ],
)
def test_injection_shaped_and_wrongly_typed_fields_get_422(api, body, field):
    r = api.post("/v1/signup/otp", json=body)
    assert_refused(r, 422, "validation_failed")
    assert field in {f["field"] for f in r.json()["fields"]}


def test_login_fields_refuse_selectors_paths_and_huge_values(api, sms_file):
    owner = signup(api, sms_file)
    base = {"phone": owner["phone"], "password": owner["password"], "device_id": "d1"}
    for change, field in (
        ({"password": {"$ne": ""}}, "password"),
        ({"password": "x" * 129}, "password"),
        ({"device_id": "../_users"}, "device_id"),
        ({"device_id": "a" * 65}, "device_id"),
        ({"device_id": {"$gt": ""}}, "device_id"),
        ({"device_name": 10**400}, "device_name"),
        ({"device_id": "d1\u0000"}, "device_id"),
        ({"admin": True}, "admin"),
    ):
        r = api.post("/v1/login", json={**base, **change})
        assert_refused(r, 422, "validation_failed")
        assert field in {f["field"] for f in r.json()["fields"]}, (change, r.text)


def test_path_injection_in_invoice_ids_is_refused(api, sms_file):
    answer = login(api, signup(api, sms_file))
    for sale in ("..%2F..%2F_users", "%2E%2E", "x' OR 1=1", "0" * 5000, "3f6c2a1e-8b4d-4c2a-9f1e-2d3c4b5a6f70%00"):
        r = api.get(f"/v1/invoices/{sale}", headers=bearer(answer))
        assert r.status_code in (404, 422), (sale, r.status_code, r.text)
        assert r.json()["error"] in ("not_found", "validation_failed")


def _sale() -> dict:
    return copy.deepcopy(example("sale"))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(total_paise=-64000, paid_paise=-64000),
        lambda d: d["lines"][0].update(amount_paise=-14999),
        lambda d: d["lines"][0].update(qty_milli=-1500),
        lambda d: d.update(total_paise=2**63, paid_paise=2**63),
        lambda d: d.update(total_paise=1e308, paid_paise=1e308),
        lambda d: d.update(total_paise=63999.5, paid_paise=63999.5),
        lambda d: d.update(total_paise="64000"),
        lambda d: d.update(customer_phone={"$gt": ""}),
        lambda d: d.update(_id="sale:' OR '1'='1"),
        lambda d: d.update(type="invoice"),
    ],
    ids=[
        "negative-total",
        "negative-line",
        "negative-qty",
        "huge-int",
        "huge-float",
        "float-money",
        "string-money",
        "selector-phone",
        "sql-id",
        "type-confusion",
    ],
)
def test_phone_cannot_store_hostile_amounts_or_ids(api, sms_file, couch, admin, mutate):
    creds = login(api, signup(api, sms_file))["couchdb"]
    doc = _sale()
    mutate(doc)
    before = admin.get(f"/{creds['db']}/_all_docs").json()["rows"]
    body = json.dumps(doc).encode()  # 2**63 and 1e308 go over the wire as written
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        r = phone.post(f"/{creds['db']}/_bulk_docs", content=b'{"docs": [' + body + b"]}", headers=JSON)
        assert r.status_code in (201, 400, 403), r.text
        if r.status_code == 201:
            assert r.json()[0].get("error") == "forbidden", r.text
    assert admin.get(f"/{creds['db']}/_all_docs").json()["rows"] == before


def test_rest_api_refuses_negative_huge_and_fractional_amounts(api, sms_file, admin):
    answer = login(api, signup(api, sms_file))
    auth, db = bearer(answer), answer["couchdb"]["db"]
    group = api.post("/v1/groups", headers=auth, json={"name": "Bearings"})
    assert group.status_code == 201, group.text
    group_id = group.json()["_id"] if "_id" in group.json() else group.json()["id"]
    before = admin.get(f"/{db}/_all_docs").json()["rows"]
    item = {"name": "6204 bearing", "group_id": group_id, "unit_price_paise": 25000, "gst_rate_bp": 1800}
    for bad in (-1, -25000, 2**70, 250.5, "25000", None, True):
        r = api.post("/v1/items", headers=auth, json={**item, "unit_price_paise": bad})
        assert r.status_code == 422, (bad, r.text)
    line = {"item_id": "item:3f6c2a1e-8b4d-4c2a-9f1e-2d3c4b5a6f70", "qty_milli": 1000}
    sale = {
        "id": "3f6c2a1e-8b4d-4c2a-9f1e-2d3c4b5a6f71",
        "customer_phone": "+919812345678",
        "lines": [line],
        "paid_paise": 0,
    }
    for change in (
        {"paid_paise": -1},
        {"paid_paise": 10**30},
        {"paid_paise": 1.5},
        {"lines": [{**line, "qty_milli": -1000}]},
        {"lines": [{**line, "qty_milli": 0}]},
        {"lines": [{**line, "discount_paise": -500}]},
        {"lines": []},
        {"lines": [line] * 501},
        {"id": "../../_users"},
    ):
        r = api.post("/v1/sales", headers=auth, json={**sale, **change})
        assert r.status_code == 422, (change, r.text)
    for amount in (0, -5, 2**70, 9.99):
        r = api.post(
            f"/v1/sales/{sale['id']}/payments",
            headers=auth,
            json={"id": "3f6c2a1e-8b4d-4c2a-9f1e-2d3c4b5a6f72", "amount_paise": amount},
        )
        assert r.status_code == 422, (amount, r.text)
    assert admin.get(f"/{db}/_all_docs").json()["rows"] == before
