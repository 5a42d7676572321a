"""A phone change for an owner who lost the current number (routes/phone_lost.py): the password
and a code to the new number schedule it; nothing moves before the wait is over, the current
number is told at once (without secrets) and can cancel, and once due the change is applied by
the next login or by `complete`, rotating the shop's CouchDB credentials.

The wait is simulated by writing the request's `due_at` in the past with the admin client.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from shopbill.services.core.names import ACCOUNTS_DB, shop_db
from tests.utils.accounts import PASSWORD, bearer, last_otp, login, new_phone, notices, signup

LOST = "/v1/phone/change/lost"


def schedule(api, sms_file, owner: dict[str, Any], answer: dict[str, Any], new: str) -> dict[str, Any]:
    r = api.post(f"{LOST}/otp", headers=bearer(answer), json={"new_phone": new, "password": owner["password"]})
    assert r.status_code == 202, r.text
    r = api.post(LOST, headers=bearer(answer), json={"otp": last_otp(sms_file, new)})
    assert r.status_code == 202, r.text
    return r.json()


def wait_over(admin, owner: dict[str, Any]) -> None:
    """Move the waiting request's `due_at` into the past, as if the wait had passed."""
    account_id = admin.get(f"/{ACCOUNTS_DB}/{quote('phone:' + owner['phone'], safe='')}").json()["account_id"]
    doc = admin.get(f"/{ACCOUNTS_DB}/phone_change:{account_id}").json()
    doc["due_at"] = "2001-01-01T00:00:00Z"
    assert admin.put(f"/{ACCOUNTS_DB}/{doc['_id']}", json=doc).status_code in (200, 201)


def phone_of(api, answer: dict[str, Any]) -> str:
    return str(api.get("/v1/me", headers=bearer(answer)).json()["account"]["phone"])


def test_the_change_waits_and_the_old_number_is_told_without_secrets(api, sms_file) -> None:
    owner = signup(api, sms_file)
    answer = login(api, owner)
    new = new_phone()
    pending = schedule(api, sms_file, owner, answer, new)
    assert pending["due"] is False and pending["new_phone"] == f"…{new[-4:]}"
    assert api.get(LOST, headers=bearer(answer)).json()["pending"]["due_at"] == pending["due_at"]
    # Nothing moves before the wait: not by `complete`, not by a login.
    r = api.post(f"{LOST}/complete", headers=bearer(answer))
    assert r.status_code == 409 and r.json()["error"] == "phone_change_waiting"
    again = login(api, owner)
    assert phone_of(api, again) == owner["phone"]
    moved = {"phone": new, "password": PASSWORD, "device_id": "d"}
    assert api.post("/v1/login", json=moved).status_code == 401
    # The old number heard of it at once, with how to cancel, and no secret.
    told = [t for t in notices(sms_file, owner["phone"]) if "was requested" in t]
    assert told and "cancel" in told[0] and new[-4:] in told[0]
    for text in told:
        assert owner["password"] not in text and answer["access_token"] not in text
        assert new not in text and not re.search(r"\b\d{6}\b", text), text


def test_the_owner_of_the_old_number_can_cancel_with_a_code_or_the_password(api, sms_file, admin) -> None:
    owner = signup(api, sms_file)
    answer = login(api, owner)
    schedule(api, sms_file, owner, answer, new_phone())
    assert api.post(f"{LOST}/cancel/otp", json={"phone": owner["phone"]}).status_code == 202
    wrong = api.post(f"{LOST}/cancel", json={"phone": owner["phone"], "otp": "000000"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "otp_invalid"
    code = last_otp(sms_file, owner["phone"])
    r = api.post(f"{LOST}/cancel", json={"phone": owner["phone"], "otp": code})
    assert r.status_code == 200 and r.json() == {"cancelled": True}, r.text
    assert api.get(LOST, headers=bearer(answer)).json() == {"pending": None}
    assert any("was cancelled" in t for t in notices(sms_file, owner["phone"]))
    # With the password instead of a code (no login needed: the device may be the thief's).
    new = new_phone()
    schedule(api, sms_file, owner, answer, new)
    r = api.post(f"{LOST}/cancel", json={"phone": owner["phone"], "password": "a-good-guess-1"})
    assert r.status_code == 401
    r = api.post(f"{LOST}/cancel", json={"phone": owner["phone"], "password": PASSWORD})
    assert r.status_code == 200 and r.json() == {"cancelled": True}
    # A cancelled change never takes effect, even after its time.
    assert api.post(f"{LOST}/complete", headers=bearer(answer)).status_code == 404
    assert phone_of(api, login(api, owner)) == owner["phone"]


def test_after_the_wait_it_completes_and_rotates_the_couchdb_credentials(api, sms_file, admin, couch) -> None:
    owner = signup(api, sms_file)
    before = login(api, owner)
    new = new_phone()
    schedule(api, sms_file, owner, before, new)
    wait_over(admin, owner)
    assert api.get(LOST, headers=bearer(before)).json()["pending"]["due"] is True
    r = api.post(f"{LOST}/complete", headers=bearer(before))
    assert r.status_code == 200, r.text
    after = r.json()
    old, fresh = before["couchdb"], after["couchdb"]
    with couch.client(auth=(old["username"], old["password"])) as client:
        assert client.get(f"/{old['db']}").status_code == 401
    with couch.client(auth=(fresh["username"], fresh["password"])) as client:
        assert client.get(f"/{fresh['db']}").status_code == 200
    assert api.get("/v1/me", headers=bearer(before)).status_code == 401
    assert phone_of(api, after) == new
    assert admin.get(f"/{shop_db(owner['business_id'])}/business").json()["phone"] == new
    assert any("phone number was changed" in t for t in notices(sms_file, owner["phone"]))
    assert any("phone number was changed" in t for t in notices(sms_file, new))
    assert api.get(LOST, headers=bearer(after)).json() == {"pending": None}


def test_a_due_change_is_applied_at_the_next_login(api, sms_file, admin, couch) -> None:
    owner = signup(api, sms_file)
    before = login(api, owner)
    new = new_phone()
    schedule(api, sms_file, owner, before, new)
    wait_over(admin, owner)
    after = login(api, owner)  # the owner still knows the old number; the login moves it
    assert phone_of(api, after) == new
    old = before["couchdb"]
    with couch.client(auth=(old["username"], old["password"])) as client:
        assert client.get(f"/{old['db']}").status_code == 401
    owner["phone"] = new
    login(api, owner)


def test_a_thief_with_only_the_access_token_cannot_start_it(api, sms_file) -> None:
    owner = signup(api, sms_file)
    stolen = login(api, owner, "owners-phone")
    thief = new_phone()
    r = api.post(f"{LOST}/otp", headers=bearer(stolen), json={"new_phone": thief})
    assert r.status_code == 422
    r = api.post(f"{LOST}/otp", headers=bearer(stolen), json={"new_phone": thief, "password": "a-good-guess-1"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_credentials"
    r = api.post(LOST, headers=bearer(stolen), json={"otp": "123456"})
    assert r.status_code == 400 and r.json()["error"] == "otp_invalid"
    assert api.get(LOST, headers=bearer(stolen)).json() == {"pending": None}
    assert not notices(sms_file, thief)
