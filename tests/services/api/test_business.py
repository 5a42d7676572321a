"""GET/PATCH /v1/business: the shop's details, a GSTIN checked at signup and on edit, and a
typo'd GSTIN that the auditor flagged corrected over REST."""

from __future__ import annotations

import pytest

from tests.utils.accounts import new_phone
from tests.utils.auditor_process import eventually
from tests.utils.rest_shop import GSTIN, new_shop

TYPO = "33AAACM1234A1ZG"  # GSTIN with its last character mistyped


def complete_signup(api, sms_file, business: dict) -> object:
    from tests.utils.accounts import last_otp

    phone = new_phone()
    api.post("/v1/signup/otp", json={"phone": phone})
    token = api.post("/v1/signup/verify", json={"phone": phone, "otp": last_otp(sms_file, phone)}).json()[
        "signup_token"
    ]
    return api.post(
        "/v1/signup/complete",
        json={
            "signup_token": token,
            "password": "shop-pass-1",
            "owner_name": "Kavya",
            "business": {"name": "Kavya Stores", "category": "other", **business},
        },
    )


@pytest.mark.parametrize(
    "business, field",
    [
        ({"gstin": TYPO, "state_code": "33"}, "business.gstin"),
        ({"gstin": GSTIN, "state_code": "29"}, "business.state_code"),
    ],
)
def test_signup_refuses_a_gstin_that_does_not_check_out(api, sms_file, business, field):
    r = complete_signup(api, sms_file, business)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "validation_failed" and [f["field"] for f in body["fields"]] == [field]
    assert field in body["detail"]


def test_get_and_patch_the_business_at_a_revision(api, sms_file):
    shop = new_shop(api, sms_file)
    assert api.get("/v1/business").status_code == 401
    doc = shop.get("/v1/business").json()
    assert doc["gstin"] == GSTIN and doc["settings"] == {"round_off": True}
    r = shop.patch(
        "/v1/business",
        {
            "rev": doc["_rev"],
            "name": "Murugan Spares",
            "address": "12 Car St",
            "category": "general_trading",
            "round_off": False,
            "timezone": "Asia/Kolkata",
        },
    )
    assert r.status_code == 200, r.text
    updated = r.json()
    assert updated["name"] == "Murugan Spares" and updated["settings"] == {"round_off": False}
    assert updated["_rev"] != doc["_rev"] and shop.get("/v1/business").json() == updated
    stale = shop.patch("/v1/business", {"rev": doc["_rev"], "name": "Late"})
    assert stale.status_code == 409 and stale.json()["error"] == "stale_revision"
    for change, field in (
        ({"gstin": TYPO}, "gstin"),
        ({"state_code": "29"}, "state_code"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"gstin": "33abc"}, "gstin"),
        ({"phone": "+919876543210"}, "phone"),
    ):
        r = shop.patch("/v1/business", {"rev": updated["_rev"], **change})
        assert r.status_code == 422, (change, r.text)
        assert set(r.json()) >= {"error", "detail"}
        assert field in [f["field"] for f in r.json()["fields"]], r.text
    removed = shop.patch("/v1/business", {"rev": updated["_rev"], "gstin": "", "state_code": "", "address": ""}).json()
    assert not {"gstin", "state_code", "address"} & set(removed)


def test_a_flagged_gstin_gets_a_notice_that_says_what_to_fix_and_can_be_fixed(api, sms_file, couch, admin, auditor):
    shop = new_shop(api, sms_file)
    creds = shop.login["couchdb"]
    current = admin.get(f"/{shop.db}/business").json()
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        # The rules the server enforces on replication cannot compute the check digit.
        r = phone.put(f"/{shop.db}/business", json={**current, "gstin": TYPO, "device_id": "d1"})
    assert r.status_code == 201, r.text

    def notices() -> list[dict]:
        rows = admin.get(
            f"/{shop.db}/_all_docs", params={"include_docs": "true", "startkey": '"audit:"', "endkey": '"audit:\uffff"'}
        ).json()["rows"]
        return [row["doc"] for row in rows if row["doc"]["subject_id"] == "business"]

    [notice] = eventually(notices)
    assert notice["kind"] == "invalid" and "left out of reports" not in notice["message"]
    assert "shop's details need fixing" in notice["message"] and "gstin" in notice["message"]
    doc = shop.get("/v1/business").json()
    r = shop.patch("/v1/business", {"rev": doc["_rev"], "gstin": GSTIN})
    assert r.status_code == 200 and r.json()["gstin"] == GSTIN
