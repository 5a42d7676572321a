"""Read-only API keys: read the shop's data, never write, never touch the phone's credentials."""

from __future__ import annotations

import pytest

from shopbill.services.core.names import API_KEYS_DB, DEVICES_DB
from shopbill.services.identity.credentials import couch_username
from tests.utils.rest_shop import new_shop, new_uuid


@pytest.fixture(scope="module")
def shop(api, sms_file):
    return new_shop(api, sms_file)


def key_headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def make_key(shop, name="Accountant") -> dict:
    r = shop.post("/v1/api-keys", {"name": name})
    assert r.status_code == 201, r.text
    assert r.json()["key"].startswith("sbk_")
    return dict(r.json())


def test_key_reads_and_is_listed_with_last_use(shop, admin):
    item = shop.item(name="Wiper blade")
    key = make_key(shop)
    listed = shop.get("/v1/api-keys").json()["api_keys"]
    mine = next(k for k in listed if k["id"] == key["id"])
    assert mine["last_used_at"] is None and "key" not in mine and "hash" not in mine
    reader = key_headers(key["key"])
    assert shop.api.get(f"/v1/items/{item['_id'].split(':')[1]}", headers=reader).json()["name"] == "Wiper blade"
    assert shop.api.get("/v1/items", headers=reader).status_code == 200
    assert shop.api.get("/v1/invoices", headers=reader).status_code == 200
    assert shop.api.get("/v1/exports/items.csv", headers=reader).status_code == 200
    listed = shop.get("/v1/api-keys").json()["api_keys"]
    assert next(k for k in listed if k["id"] == key["id"])["last_used_at"] is not None
    stored = admin.get(f"/{API_KEYS_DB}/apikey:{key['id']}").json()
    assert key["key"].split("_")[-1] not in str(stored)  # only a hash of the secret is kept


def test_key_cannot_write_anything(shop, admin):
    group, item = shop.group("Kept"), shop.item(name="Kept item")
    reader = key_headers(make_key(shop)["key"])
    uuid_ = item["_id"].split(":")[1]
    before = admin.get(f"/{shop.db}/_all_docs").json()["total_rows"]
    attempts = [
        ("POST", "/v1/groups", {"name": "x"}),
        ("PATCH", f"/v1/groups/{group['_id'].split(':')[1]}", {"rev": group["_rev"], "name": "x"}),
        ("POST", "/v1/items", {"name": "x", "group_id": group["_id"], "unit_price_paise": 1, "gst_rate_bp": 0}),
        ("PATCH", f"/v1/items/{uuid_}", {"rev": item["_rev"], "name": "x"}),
        ("DELETE", f"/v1/items/{uuid_}?rev={item['_rev']}", None),
        (
            "POST",
            "/v1/sales",
            {
                "id": new_uuid(),
                "customer_phone": "+919812345678",
                "paid_paise": 0,
                "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
            },
        ),
        ("POST", f"/v1/sales/{new_uuid()}/payments", {"id": new_uuid(), "amount_paise": 1, "method": "cash"}),
        ("POST", f"/v1/invoices/{new_uuid()}/credit-notes", {"id": new_uuid(), "reason": "x"}),
        ("POST", "/v1/api-keys", {"name": "another"}),
        ("GET", "/v1/api-keys", None),
        ("POST", "/v1/logout", None),
    ]
    for method, path, body in attempts:
        r = shop.api.request(method, path, headers=reader, json=body)
        assert r.status_code in (401, 403), (method, path, r.status_code, r.text)
    assert admin.get(f"/{shop.db}/_all_docs").json()["total_rows"] == before
    assert admin.get(f"/{shop.db}/{item['_id']}").json()["_rev"] == item["_rev"]


def test_key_never_touches_the_phones_credentials(couch, shop, admin):
    user_id = f"org.couchdb.user:{couch_username(shop.owner['business_id'])}"
    user_before = admin.get(f"/_users/{user_id}").json()
    session_before = admin.get(f"/{DEVICES_DB}/device:{shop.owner['account_id']}").json()
    reader = key_headers(make_key(shop, "Dashboard")["key"])
    for _ in range(3):
        assert shop.api.get("/v1/groups", headers=reader).status_code == 200
    user_after = admin.get(f"/_users/{user_id}").json()
    assert user_after["_rev"] == user_before["_rev"] and user_after.get("generation") == user_before.get("generation")
    session_after = admin.get(f"/{DEVICES_DB}/device:{shop.owner['account_id']}").json()
    assert session_after["generation"] == session_before["generation"] and not session_after["revoked"]
    creds = shop.login["couchdb"]
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        assert phone.get(f"/{creds['db']}").status_code == 200  # the phone keeps syncing
    assert shop.get("/v1/me").status_code == 200  # and its session is untouched
    # the key is no CouchDB credential either
    with couch.client(auth=(creds["username"], reader["Authorization"][7:])) as keyed:
        assert keyed.get(f"/{creds['db']}").status_code == 401


def test_revoked_and_unknown_keys_fail(shop):
    key = make_key(shop, "Old integration")
    reader = key_headers(key["key"])
    assert shop.api.get("/v1/items", headers=reader).status_code == 200
    assert shop.delete(f"/v1/api-keys/{key['id']}").status_code == 204
    r = shop.api.get("/v1/items", headers=reader)
    assert r.status_code == 401 and r.json()["error"] == "invalid_api_key"
    listed = {k["id"]: k for k in shop.get("/v1/api-keys").json()["api_keys"]}
    assert listed[key["id"]]["revoked_at"] is not None
    forged = key["key"][:-4] + ("AAAA" if not key["key"].endswith("AAAA") else "BBBB")
    assert shop.api.get("/v1/items", headers=key_headers(forged)).status_code == 401
    assert shop.delete("/v1/api-keys/0123456789abcdef").status_code == 404


def test_key_reads_only_its_own_business(api, sms_file, shop):
    other = new_shop(api, sms_file)
    secret_item = other.item(name="Other shop's item")
    reader = key_headers(make_key(shop)["key"])
    assert api.get(f"/v1/items/{secret_item['_id'].split(':')[1]}", headers=reader).status_code == 404
    assert secret_item["_id"] not in {i["_id"] for i in api.get("/v1/items", headers=reader).json()["items"]}
    other_key = make_key(other)
    assert shop.delete(f"/v1/api-keys/{other_key['id']}").status_code == 404  # cannot revoke another's key
    assert api.get("/v1/items", headers=key_headers(other_key["key"])).status_code == 200


def test_a_shop_without_keys_lists_none(api, sms_file):
    assert new_shop(api, sms_file).get("/v1/api-keys").json() == {"api_keys": []}


READS = [
    "/v1/customers/{phone}/history",
    "/v1/customers",
    "/v1/reports/sales?from=2026-11-01&to=2026-11-30",
    "/v1/reports/sales?from=2026-11-01&to=2026-11-30&group_by=item",
    "/v1/reports/incomplete",
    "/v1/reports/series",
]


def sold_on_credit(shop, phone: str) -> dict:
    """An incomplete sale (paid 0) to `phone`: it shows in history and dues at once."""
    item = shop.item(name="Fuse 10A", unit_price_paise=5000, gst_rate_bp=1800)
    r = shop.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": phone,
            "paid_paise": 0,
            "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
        },
    )
    assert r.status_code == 201, r.text
    return dict(r.json()["sale"])


def test_key_reads_history_and_reports_as_the_device_does(shop):
    sale = sold_on_credit(shop, "+919812300001")
    reader = key_headers(make_key(shop, "Dashboard")["key"])
    for path in (p.format(phone="+919812300001") for p in READS):
        by_key, by_device = shop.api.get(path, headers=reader), shop.get(path)
        assert by_key.status_code == 200, (path, by_key.text)
        assert by_key.json() == by_device.json(), path
    history = shop.api.get("/v1/customers/9812300001/history", headers=reader).json()
    assert [p["sale_id"] for p in history["purchases"]] == [sale["_id"]]
    dues = shop.api.get("/v1/reports/incomplete", headers=reader).json()["sales"]
    assert sale["_id"] in {s["sale_id"] for s in dues}


def test_a_key_of_one_business_reads_none_of_anothers_customers(api, sms_file, shop):
    other = new_shop(api, sms_file)
    theirs = sold_on_credit(other, "+919812300002")
    reader = key_headers(make_key(shop)["key"])
    history = api.get("/v1/customers/+919812300002/history", headers=reader).json()
    assert history["visits"] == 0 and history["purchases"] == []
    assert "+919812300002" not in {c["phone"] for c in api.get("/v1/customers", headers=reader).json()["customers"]}
    dues = api.get("/v1/reports/incomplete", headers=reader).json()["sales"]
    assert theirs["_id"] not in {s["sale_id"] for s in dues}
    theirs_by_their_key = api.get(
        "/v1/customers/+919812300002/history", headers=key_headers(make_key(other)["key"])
    ).json()
    assert [p["sale_id"] for p in theirs_by_their_key["purchases"]] == [theirs["_id"]]


def test_a_revoked_key_reads_no_history_or_report(shop):
    key = make_key(shop, "Leaving accountant")
    reader = key_headers(key["key"])
    assert shop.api.get("/v1/reports/series", headers=reader).status_code == 200
    assert shop.delete(f"/v1/api-keys/{key['id']}").status_code == 204
    for path in (p.format(phone="+919812300001") for p in READS):
        r = shop.api.get(path, headers=reader)
        assert r.status_code == 401 and r.json()["error"] == "invalid_api_key", (path, r.text)


@pytest.mark.parametrize("path", ["/v1/me", "/v1/account/export", "/v1/api-keys"])
def test_device_only_reads_refuse_a_key(shop, path):
    """A key is not the account nor a device: the device's own details and the account export
    (personal data) stay with the phone, and a key cannot list keys."""
    r = shop.api.get(path, headers=key_headers(make_key(shop)["key"]))
    assert r.status_code in (401, 403), (path, r.status_code, r.text)
