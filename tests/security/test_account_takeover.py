"""A stolen, unlocked phone (its access token) and what it must not be able to do: move the
account to the thief's number, guess the password without limit, or act unnoticed; and what an
API key is worth once its account is deleted."""

from __future__ import annotations

import re

from shopbill.services.core.names import API_KEYS_DB
from tests.utils.accounts import (
    PASSWORD,
    bearer,
    last_otp,
    login,
    new_client_ip,
    new_phone,
    notices,
    signup,
)
from tests.utils.rest_shop import new_shop


def test_stolen_phone_cannot_change_the_number_without_password_and_current_number_code(api, sms_file, couch):
    owner = signup(api, sms_file)
    stolen = login(api, owner, "owners-phone")
    thief = new_phone()
    # Only the access token: refused before any code is sent.
    r = api.post("/v1/phone/change/otp", headers=bearer(stolen), json={"new_phone": thief})
    assert r.status_code == 422 and r.json()["error"] == "validation_failed"
    r = api.post(
        "/v1/phone/change/otp", headers=bearer(stolen), json={"new_phone": thief, "password": "a-good-guess-1"}
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_credentials"
    assert not notices(sms_file, thief)
    # With the password, a code to the new number alone is not enough.
    r = api.post("/v1/phone/change/otp", headers=bearer(stolen), json={"new_phone": thief, "password": PASSWORD})
    assert r.status_code == 202
    r = api.post("/v1/phone/change/complete", headers=bearer(stolen), json={"otp": last_otp(sms_file, thief)})
    assert r.status_code == 422
    r = api.post(
        "/v1/phone/change/complete",
        headers=bearer(stolen),
        json={"otp": last_otp(sms_file, thief), "current_otp": "123456"},
    )
    assert r.status_code == 400 and r.json()["error"] == "otp_invalid"
    assert api.get("/v1/me", headers=bearer(stolen)).json()["account"]["phone"] == owner["phone"]


def test_phone_change_rotates_the_couchdb_credentials_and_tells_the_old_number(api, sms_file, couch):
    owner = signup(api, sms_file)
    before = login(api, owner)
    new = new_phone()
    api.post("/v1/phone/change/otp", headers=bearer(before), json={"new_phone": new, "password": PASSWORD})
    r = api.post(
        "/v1/phone/change/complete",
        headers=bearer(before),
        json={"otp": last_otp(sms_file, new), "current_otp": last_otp(sms_file, owner["phone"])},
    )
    assert r.status_code == 200, r.text
    after = r.json()
    old, fresh = before["couchdb"], after["couchdb"]
    with couch.client(auth=(old["username"], old["password"])) as client:
        assert client.get(f"/{old['db']}").status_code == 401
    with couch.client(auth=(fresh["username"], fresh["password"])) as client:
        assert client.get(f"/{fresh['db']}").status_code == 200
    assert api.get("/v1/me", headers=bearer(before)).status_code == 401
    assert any("phone number was changed" in t for t in notices(sms_file, owner["phone"]))


def test_every_security_event_texts_a_notice_without_secrets(api, sms_file):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    r = api.post(
        "/v1/password/change",
        headers=bearer(answer),
        json={"old_password": PASSWORD, "new_password": "another-horse-43"},
    )
    assert r.status_code == 200
    answer = r.json()
    key = api.post("/v1/api-keys", headers=bearer(answer), json={"name": "Accountant"}).json()["key"]
    assert api.post("/v1/account/delete/otp", headers=bearer(answer)).status_code == 202
    texts = notices(sms_file, owner["phone"])
    for event in (
        "logged in",
        "password of your shop account was changed",
        "API key",
        "deleting your shop account was requested",
    ):
        assert any(event in t for t in texts), (event, texts)
    secrets = [
        PASSWORD,
        "another-horse-43",
        key,
        answer["access_token"],
        answer["couchdb"]["password"],
        last_otp(sms_file, owner["phone"]),
    ]
    for text in texts:
        assert not any(s in text for s in secrets)
        assert not re.search(r"\b\d{6}\b", text), text


def test_password_change_failures_are_capped_per_account(app_factory, sms_file):
    with app_factory(client_ip=new_client_ip(), PASSWORD_FAILURES_PER_ACCOUNT_PER_HOUR="3") as api:
        owner = signup(api, sms_file)
        answer = login(api, owner)
        codes = [
            api.post(
                "/v1/password/change",
                headers=bearer(answer),
                json={"old_password": f"guess-number-{i}", "new_password": "stolen-pass-123"},
            ).status_code
            for i in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        r = api.post(
            "/v1/password/change",
            headers=bearer(answer),
            json={"old_password": PASSWORD, "new_password": "stolen-pass-123"},
        )
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
        assert r.json()["error"] == "rate_limited"


def test_api_key_of_a_deleted_account_is_refused_and_gone(api, sms_file, admin):
    shop = new_shop(api, sms_file)
    made = shop.post("/v1/api-keys", {"name": "Dashboard"}).json()
    key = {"Authorization": f"Bearer {made['key']}"}
    assert api.get("/v1/invoices", headers=key).status_code == 200
    assert shop.post("/v1/account/delete/otp").status_code == 202
    r = shop.post("/v1/account/delete", {"password": PASSWORD, "otp": last_otp(sms_file, shop.owner["phone"])})
    assert r.status_code == 200, r.text
    r = api.get("/v1/invoices", headers=key)
    assert r.status_code == 401 and r.json()["error"] == "invalid_api_key"
    assert admin.get(f"/{API_KEYS_DB}/apikey:{made['id']}").status_code == 404
