"""Replaying what an old device held: its CouchDB password, its cookie, its access and refresh
tokens, after every kind of rotation (a new login, a password change, a reset, a logout, an
account deletion). Each must fail at once with 401, and the old device must write nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.utils.accounts import PASSWORD, bearer, last_otp, login, signup
from tests.utils.couch import CouchTarget
from tests.utils.docs import example


def cookie_of(couch: CouchTarget, creds: dict[str, Any]) -> str:
    with couch.client() as phone:
        r = phone.post("/_session", data={"name": creds["username"], "password": creds["password"]})
        assert r.status_code == 200
        return r.cookies["AuthSession"]


def assert_old_device_is_dead(api, couch: CouchTarget, admin: httpx.Client, old: dict[str, Any], cookie: str) -> None:
    creds = old["couchdb"]
    db = creds["db"]
    before = admin.get(f"/{db}/_all_docs").json() if admin.get(f"/{db}").status_code == 200 else None
    doc = {**example("customer"), "_id": "customer:+919811111111"}
    with couch.client(auth=(creds["username"], creds["password"])) as basic:
        assert basic.get(f"/{db}").status_code == 401
        assert basic.put(f"/{db}/{doc['_id']}", json=doc).status_code == 401
        assert basic.post(f"/{db}/_bulk_docs", json={"docs": [doc]}).status_code == 401
        assert basic.get("/_session").status_code == 401
    with couch.client() as by_cookie:
        by_cookie.cookies.set("AuthSession", cookie)
        assert by_cookie.get(f"/{db}/_changes").status_code == 401
        assert by_cookie.put(f"/{db}/{doc['_id']}", json=doc).status_code == 401
    assert api.get("/v1/me", headers=bearer(old)).status_code == 401
    assert api.get("/v1/account/export", headers=bearer(old)).status_code == 401
    assert api.post("/v1/logout", headers=bearer(old)).status_code == 401
    r = api.post("/v1/token/refresh", json={"refresh_token": old["refresh_token"]})
    assert r.status_code == 401
    if before is not None:
        assert admin.get(f"/{db}/_all_docs").json() == before


def _new_login(api, sms_file, owner, old):
    return login(api, owner, "the-new-phone")


def _password_change(api, sms_file, owner, old):
    r = api.post(
        "/v1/password/change", headers=bearer(old), json={"old_password": PASSWORD, "new_password": "a-new-pass-77"}
    )
    assert r.status_code == 200
    return r.json()


def _password_reset(api, sms_file, owner, old):
    assert api.post("/v1/password/reset/otp", json={"phone": owner["phone"]}).status_code == 202
    r = api.post(
        "/v1/password/reset/complete",
        json={"phone": owner["phone"], "otp": last_otp(sms_file, owner["phone"]), "new_password": "a-new-pass-77"},
    )
    assert r.status_code == 200
    return None


def _logout(api, sms_file, owner, old):
    assert api.post("/v1/logout", headers=bearer(old)).status_code == 200
    return None


def _account_deletion(api, sms_file, owner, old):
    assert api.post("/v1/account/delete/otp", headers=bearer(old)).status_code == 202
    r = api.post(
        "/v1/account/delete",
        headers=bearer(old),
        json={"password": PASSWORD, "otp": last_otp(sms_file, owner["phone"])},
    )
    assert r.status_code == 200
    return None


@pytest.mark.parametrize(
    "rotation",
    [_new_login, _password_change, _password_reset, _logout, _account_deletion],
    ids=lambda f: f.__name__.strip("_"),
)
def test_old_device_secrets_fail_after(rotation: Callable, api, sms_file, couch, admin):
    owner = signup(api, sms_file)
    old = login(api, owner, "the-old-phone")
    cookie = cookie_of(couch, old["couchdb"])
    api.post("/v1/token/refresh", json={"refresh_token": old["refresh_token"]})  # in grace now

    fresh = rotation(api, sms_file, owner, old)

    assert_old_device_is_dead(api, couch, admin, old, cookie)
    if fresh is not None:  # the device that rotated works
        creds = fresh["couchdb"]
        with couch.client(auth=(creds["username"], creds["password"])) as phone:
            assert phone.get(f"/{creds['db']}").status_code == 200
        assert api.get("/v1/me", headers=bearer(fresh)).status_code == 200


def test_a_stolen_refresh_token_used_after_the_owner_revokes_the_thief(api, sms_file, couch):
    """The thief refreshes first; the owner's (now used) token is then presented: theft is
    detected, the device is revoked, and neither party's tokens nor the CouchDB password work."""
    owner = signup(api, sms_file)
    answer = login(api, owner)
    thief = api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]}).json()
    thief = api.post("/v1/token/refresh", json={"refresh_token": thief["refresh_token"]}).json()
    r = api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]})
    assert r.status_code == 401 and r.json()["error"] == "token_reused"
    assert api.get("/v1/me", headers=bearer(thief)).status_code == 401
    assert api.post("/v1/token/refresh", json={"refresh_token": thief["refresh_token"]}).status_code == 401
    creds = answer["couchdb"]
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        assert phone.get(f"/{creds['db']}").status_code == 401


def test_forged_and_cross_type_tokens_are_refused(api, sms_file):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    payload, _, signature = answer["access_token"].partition(".")
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    for token in (
        tampered,
        answer["refresh_token"],
        "",
        ".",
        "a" * 2000,
        "%C3%A9.%C3%A9",
        answer["access_token"] + "x",
    ):
        r = api.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, token
    # an access token is not a refresh token, nor a signup token
    r = api.post("/v1/token/refresh", json={"refresh_token": answer["access_token"]})
    assert r.status_code == 401
    r = api.post(
        "/v1/signup/complete",
        json={
            "signup_token": answer["access_token"],
            "password": "whatever-1",
            "owner_name": "X",
            "business": {"name": "X", "category": "other"},
        },
    )
    assert r.status_code == 401
