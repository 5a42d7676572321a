"""Kill -9 the services process during a login, after it rotated the CouchDB password and before
it answered: the phone never gets the answer, retries against the restarted process, and exactly
one device (the retrying one) works afterwards, by CouchDB password and by token."""

from __future__ import annotations

import httpx

from shopbill.services.core.names import DEVICES_DB
from tests.reliability.crash import couch_status, login_killed_after_rotation, retry_until
from tests.utils.accounts import user_path
from tests.utils.live_accounts import live_login


def test_services_killed_after_the_rotation_the_retry_leaves_exactly_one_working_device(
    own_server, own_admin, own_services
):
    with httpx.Client(base_url=own_services.url, timeout=60) as http:
        owner, old, result = login_killed_after_rotation(http, own_services, own_admin, own_services.kill)
        assert "error" in result or result["response"].status_code == 200
        user = user_path(owner)
        rotated_unanswered = own_admin.get(user).json()["generation"]
        own_services.start()

    with httpx.Client(base_url=own_services.url, timeout=60) as http:
        new = retry_until(lambda: live_login(http, owner, "new-phone"), 200).json()

        assert couch_status(own_server.url, new["couchdb"]) == 200
        assert couch_status(own_server.url, old["couchdb"]) == 401
        assert http.get("/v1/me", headers={"Authorization": f"Bearer {old['access_token']}"}).status_code == 401
        r = http.post("/v1/token/refresh", json={"refresh_token": old["refresh_token"]})
        assert r.status_code == 401 and r.json()["error"] == "device_replaced"
        me = http.get("/v1/me", headers={"Authorization": f"Bearer {new['access_token']}"})
        assert me.status_code == 200 and me.json()["device"]["id"] == "new-phone"
        session = own_admin.get(f"/{DEVICES_DB}/device:{owner['account_id']}").json()
        assert session["generation"] == own_admin.get(user).json()["generation"] > rotated_unanswered
