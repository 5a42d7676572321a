import json
from pathlib import Path

from shopbill.services.core.names import ACCOUNTS_DB, ARCHIVE_DB, DEVICES_DB, shop_db
from tests.utils.accounts import bearer, last_otp, login, signup

EXAMPLES = Path(__file__).resolve().parents[3] / "validators" / "examples"


def test_export_contains_every_document(api, sms_file, admin):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    r = api.get("/v1/account/export", headers=bearer(answer))
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    export = r.json()
    ids = {d["_id"] for d in export["documents"]}
    all_ids = {row["id"] for row in admin.get(f"/{shop_db(owner['business_id'])}/_all_docs").json()["rows"]}
    assert ids == all_ids and "business" in ids
    assert export["account"]["phone"] == owner["phone"] and "password_hash" not in str(export)


def test_deletion_erases_everything_but_archives_tax_records(api, sms_file, admin, couch):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    db = shop_db(owner["business_id"])
    invoice = json.loads((EXAMPLES / "invoice.json").read_text())
    item = json.loads((EXAMPLES / "item.json").read_text())
    creds = answer["couchdb"]
    with couch.client(auth=(creds["username"], creds["password"])) as phone:  # synced by the phone
        for doc in (invoice, item):
            assert phone.put(f"/{db}/{doc['_id']}", json=doc).status_code == 201
    r = api.post("/v1/account/delete/otp", headers=bearer(answer))
    assert r.status_code == 202
    r = api.post(
        "/v1/account/delete",
        headers=bearer(answer),
        json={"password": owner["password"], "otp": last_otp(sms_file, owner["phone"])},
    )
    assert r.status_code == 200, r.text
    assert admin.get(f"/{db}").status_code == 404
    assert admin.get(f"/_users/org.couchdb.user:shop_{owner['business_id']}").status_code == 404
    assert admin.get(f"/{ACCOUNTS_DB}/account:{owner['account_id']}").status_code == 404
    assert admin.get(f"/{ACCOUNTS_DB}/phone:{owner['phone']}".replace("+", "%2B")).status_code == 404
    assert admin.get(f"/{DEVICES_DB}/device:{owner['account_id']}").status_code == 404
    with couch.client(auth=(answer["couchdb"]["username"], answer["couchdb"]["password"])) as phone:
        assert phone.get(f"/{db}").status_code == 401
    assert api.get("/v1/me", headers=bearer(answer)).status_code == 401
    archived = admin.get(f"/{ARCHIVE_DB}/_all_docs", params={"include_docs": "true"}).json()["rows"]
    mine = [row["doc"] for row in archived if row["id"].startswith(owner["business_id"])]
    assert [d["doc"]["_id"] for d in mine] == [invoice["_id"]], "only the tax record is kept"
    assert mine[0]["doc"]["number"] == invoice["number"]
    assert mine[0]["retain_until"] == "2032-11-25"
    assert (
        api.post(
            "/v1/login", json={"phone": owner["phone"], "password": owner["password"], "device_id": "d"}
        ).status_code
        == 401
    )


def test_deletion_needs_password_and_otp(api, sms_file, admin):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    api.post("/v1/account/delete/otp", headers=bearer(answer))
    code = last_otp(sms_file, owner["phone"])
    r = api.post("/v1/account/delete", headers=bearer(answer), json={"password": "wrong-pass-1", "otp": code})
    assert r.status_code == 401
    r = api.post("/v1/account/delete", headers=bearer(answer), json={"password": owner["password"], "otp": "000000"})
    assert r.status_code == 400
    assert admin.get(f"/{shop_db(owner['business_id'])}").status_code == 200
