"""Login reads the device session doc while Argon2 runs (one CouchDB round trip less
after the password check). That early read can be stale by the time the session is written."""

import asyncio

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import DEVICES_DB
from shopbill.services.couch import Couch
from shopbill.services.identity.devices import login_device
from tests.utils.accounts import bearer, login, signup


def test_a_stale_early_session_read_still_makes_the_login_the_active_device(api, sms_file, couch, admin):
    owner = signup(api, sms_file)
    first = login(api, owner, "phone-a")
    account_id = api.get("/v1/me", headers=bearer(first)).json()["account"]["id"]
    stale = admin.get(f"/{DEVICES_DB}/device:{account_id}").json()
    second = login(api, owner, "phone-b")  # writes the session doc after the early read

    async def read_early() -> dict:
        return stale

    async def third_login() -> int:
        settings = load_settings(
            {
                "COUCHDB_URL": couch.url,
                "COUCHDB_ADMIN_USER": couch.admin_user,
                "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
                "SECRET_KEY": "s" * 40,
            }
        )
        client = Couch(settings)
        try:
            creds, _, _ = await login_device(
                client,
                settings,
                account_id=account_id,
                business_id=owner["business_id"],
                device_id="phone-c",
                device_name=None,
                session_read=read_early(),
            )
            return creds.generation
        finally:
            await client.aclose()

    generation = asyncio.run(third_login())
    session = admin.get(f"/{DEVICES_DB}/device:{account_id}").json()
    assert session["device_id"] == "phone-c" and session["generation"] == generation
    assert session["_rev"] != stale["_rev"]
    assert api.get("/v1/me", headers=bearer(second)).status_code == 401


def test_a_wrong_password_after_the_early_read_is_still_a_plain_401(api, sms_file):
    owner = signup(api, sms_file)
    answer = login(api, owner, "phone-a")
    r = api.post("/v1/login", json={"phone": owner["phone"], "password": "not-the-password-1", "device_id": "phone-b"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_credentials"
    assert api.get("/v1/me", headers=bearer(answer)).status_code == 200
