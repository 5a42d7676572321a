"""Kill -9 the CouchDB-protocol server in the middle of a login and of a signup (at the phone
claim, and during the database and design-doc provisioning), restart it, and let the phone retry:
the retry completes, nothing is half created or doubled, and exactly one device's credentials work.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from shopbill.services.core.names import ACCOUNTS_DB, shop_db
from shopbill.services.ops.design_docs import DESIGN_DOC_ID, load_design_doc
from tests.reliability.crash import (
    DEADLINE,
    assert_clean_failure,
    couch_status,
    in_background,
    login_killed_after_rotation,
    poll,
    retry_until,
)
from tests.utils.accounts import new_phone
from tests.utils.live_accounts import complete_body, live_login, signup_token


def test_kill_9_during_a_login_rotation_then_the_retry_leaves_exactly_one_working_device(
    own_server, own_admin, own_services
):
    with httpx.Client(base_url=own_services.url, timeout=60) as http:
        # the kill comes after the new password is written, before the answer is sent
        owner, old, result = login_killed_after_rotation(http, own_services, own_admin, own_server.kill)
        interrupted = assert_clean_failure(result)
        own_server.start()

        new = retry_until(lambda: live_login(http, owner, "new-phone"), 200).json()

        url = own_server.url
        assert couch_status(url, new["couchdb"]) == 200
        assert couch_status(url, old["couchdb"]) == 401
        if interrupted is not None:  # answered before the kill: the retry replaced it
            assert couch_status(url, interrupted.json()["couchdb"]) == 401
        assert http.get("/v1/me", headers={"Authorization": f"Bearer {old['access_token']}"}).status_code == 401
        assert http.post("/v1/token/refresh", json={"refresh_token": old["refresh_token"]}).status_code == 401
        me = http.get("/v1/me", headers={"Authorization": f"Bearer {new['access_token']}"})
        assert me.status_code == 200 and me.json()["device"]["id"] == "new-phone"


def phone_claim(admin: httpx.Client, phone: str) -> dict | None:
    r = admin.get(f"/{ACCOUNTS_DB}/{quote('phone:' + phone, safe='')}")
    return r.json() if r.status_code == 200 else None


def db_exists(admin: httpx.Client, phone: str) -> bool:
    claim = phone_claim(admin, phone)
    return claim is not None and admin.get(f"/{shop_db(claim['business_id'])}").status_code == 200


@pytest.mark.parametrize("moment", [pytest.param("phone-claimed", marks=pytest.mark.slow), "database-created"])
def test_kill_9_during_a_signup_then_the_retry_completes_one_whole_account(own_server, own_admin, own_services, moment):
    with httpx.Client(base_url=own_services.url, timeout=60) as http:
        phone = new_phone()
        token = signup_token(own_services, http, phone)
        dbs_before = set(own_admin.get("/_all_dbs").json())

        thread, result = in_background(lambda: http.post("/v1/signup/complete", json=complete_body(token)))
        if moment == "phone-claimed":
            poll(lambda: phone_claim(own_admin, phone) is not None, "the phone claim")
        else:
            poll(lambda: db_exists(own_admin, phone), "the business database", interval=0.001)
        own_server.kill()
        thread.join(DEADLINE)
        interrupted = assert_clean_failure(result)
        own_server.start()

        done = retry_until(lambda: http.post("/v1/signup/complete", json=complete_body(token)), 201).json()

        if interrupted is not None:
            assert interrupted.json() == done
        business_id = done["business_id"]
        db = shop_db(business_id)
        assert set(own_admin.get("/_all_dbs").json()) - dbs_before == {db}, "one database, no orphan"
        claim = phone_claim(own_admin, phone)
        assert claim["state"] == "active" and claim["account_id"] == done["account_id"]
        accounts = own_admin.post(
            f"/{ACCOUNTS_DB}/_find", json={"selector": {"phone": phone}, "fields": ["_id"]}
        ).json()["docs"]
        assert accounts == [{"_id": f"account:{done['account_id']}"}]
        assert own_admin.get(f"/{db}/_security").json()["members"]["names"] == [f"shop_{business_id}"]
        design = own_admin.get(f"/{db}/{DESIGN_DOC_ID}").json()
        design.pop("_rev")
        assert design in (load_design_doc("mango"), load_design_doc("js"))
        assert own_admin.get(f"/{db}/business").json()["name"] == complete_body(token)["business"]["name"]
        owner = {"phone": phone, "password": complete_body(token)["password"]}
        creds = live_login(http, owner, "first-phone").json()["couchdb"]
        assert couch_status(own_server.url, creds, "/business") == 200
