"""Login, one device at a time, token refresh and logout, against the real server."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from shopbill.services.core.names import DEVICES_DB, shop_db
from shopbill.services.identity.credentials import couch_username, rotation_lease_id
from tests.utils.accounts import bearer, local_spelling, login, new_phone, signup, user_path


def couch_status(couch, creds: dict, path: str | None = None, phone_address: str | None = None) -> int:
    """The status of a GET with the phone's CouchDB credentials; `phone_address` stands for the
    phone's own address behind the proxy (CouchDB counts refused passwords per address)."""
    headers = {"X-Forwarded-For": phone_address} if phone_address else None
    with couch.client(auth=(creds["username"], creds["password"])) as client:
        return client.get(path or f"/{creds['db']}", headers=headers).status_code


def test_login_gives_working_couchdb_credentials_for_the_business_db_only(api, sms_file, couch):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    creds = answer["couchdb"]
    assert creds["url"] == couch.url and creds["db"] == shop_db(owner["business_id"])
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        assert phone.get(f"/{creds['db']}/business").status_code == 200
        r = phone.put(f"/{creds['db']}/group:{'0' * 8}-0000-4000-8000-{'0' * 12}", json={"x": 1})
        assert r.status_code == 403, "the VDU refuses a document that breaks the rules"
    assert 1 <= len(answer["invoice_series"]) <= 3


def test_phone_in_any_format_logs_in(api, sms_file):
    owner = signup(api, sms_file)
    r = api.post(
        "/v1/login", json={"phone": local_spelling(owner["phone"]), "password": owner["password"], "device_id": "d1"}
    )
    assert r.status_code == 200


def test_second_device_login_locks_out_the_first(api, sms_file, couch):
    owner = signup(api, sms_file)
    first = login(api, owner, "phone-a")
    second = login(api, owner, "phone-b")
    assert second["invoice_series"] != first["invoice_series"]
    assert couch_status(couch, first["couchdb"]) == 401
    assert couch_status(couch, second["couchdb"]) == 200
    assert api.get("/v1/me", headers=bearer(first)).status_code == 401
    r = api.post("/v1/token/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 401 and r.json()["error"] == "device_replaced"
    me = api.get("/v1/me", headers=bearer(second)).json()
    assert me["device"]["id"] == "phone-b" and me["business"]["id"] == owner["business_id"]


def test_old_cookie_fails_after_rotation(api, sms_file, couch):
    owner = signup(api, sms_file)
    first = login(api, owner)
    creds = first["couchdb"]
    with couch.client() as phone:
        r = phone.post("/_session", data={"name": creds["username"], "password": creds["password"]})
        assert r.status_code == 200
        cookie = r.cookies["AuthSession"]
    login(api, owner)
    with couch.client() as phone:
        r = phone.get(f"/{creds['db']}", cookies={"AuthSession": cookie})
        assert r.status_code == 401


def test_every_login_gets_a_new_invoice_series(api, sms_file):
    owner = signup(api, sms_file)
    series = [login(api, owner)["invoice_series"] for _ in range(4)]
    assert len(set(series)) == 4


def test_wrong_password_and_unknown_phone_get_the_same_401(api, sms_file):
    owner = signup(api, sms_file)
    wrong = api.post("/v1/login", json={"phone": owner["phone"], "password": "nope-nope-1", "device_id": "d"})
    unknown = api.post("/v1/login", json={"phone": new_phone(), "password": "nope-nope-1", "device_id": "d"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_unknown_phone_takes_about_as_long_as_a_wrong_password(api, sms_file):
    owner = signup(api, sms_file)

    def median(phone: str) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            api.post("/v1/login", json={"phone": phone, "password": "nope-nope-1", "device_id": "d"})
            times.append(time.perf_counter() - start)
        return sorted(times)[2]

    known, unknown = median(owner["phone"]), median(new_phone())
    # Both pay for one Argon2 check; without the dummy hash the unknown phone is ~10x faster.
    assert unknown > known / 3 and known > unknown / 3, (known, unknown)


def test_failed_logins_are_throttled_per_phone(app_factory, sms_file):
    with app_factory(LOGIN_FAILURES_PER_PHONE_PER_HOUR="3") as api:
        owner = signup(api, sms_file)
        codes = [
            api.post(
                "/v1/login", json={"phone": owner["phone"], "password": "bad-bad-bad", "device_id": "d"}
            ).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        r = api.post("/v1/login", json={"phone": owner["phone"], "password": owner["password"], "device_id": "d"})
        assert r.status_code == 429 and "Retry-After" in r.headers


def test_refresh_rotates_and_is_single_use_with_a_retry_grace(api, sms_file):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    first = api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]})
    assert first.status_code == 200
    retry = api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]})
    assert retry.status_code == 200 and retry.json() == first.json(), "a lost answer is repeated"
    newer = api.post("/v1/token/refresh", json={"refresh_token": first.json()["refresh_token"]})
    assert newer.status_code == 200
    # The original token is now two steps old: presenting it is theft, and revokes the device.
    stolen = api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]})
    assert stolen.status_code == 401 and stolen.json()["error"] == "token_reused"
    assert api.get("/v1/me", headers=bearer(newer.json())).status_code == 401


def test_refresh_reuse_after_the_grace_period_revokes_the_device(app_factory, sms_file, couch):
    with app_factory(REFRESH_RETRY_GRACE_SECONDS="1") as api:
        owner = signup(api, sms_file)
        answer = login(api, owner)
        assert api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]}).status_code == 200
        time.sleep(1.5)
        r = api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]})
        assert r.status_code == 401 and r.json()["error"] == "token_reused"
        assert couch_status(couch, answer["couchdb"]) == 401


def test_refresh_keeps_the_couchdb_password(api, sms_file, couch):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]})
    assert couch_status(couch, answer["couchdb"]) == 200


def test_logout_revokes_tokens_and_credentials(api, sms_file, couch):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    assert api.post("/v1/logout", headers=bearer(answer)).status_code == 200
    assert couch_status(couch, answer["couchdb"]) == 401
    assert api.get("/v1/me", headers=bearer(answer)).status_code == 401
    assert api.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]}).status_code == 401


def test_racing_logins_leave_exactly_one_working_device(api, sms_file, couch):
    owner = signup(api, sms_file)

    def attempt(i: int) -> httpx.Response:
        return api.post(
            "/v1/login", json={"phone": owner["phone"], "password": owner["password"], "device_id": f"racer-{i}"}
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(attempt, range(20)))
    assert {r.status_code for r in answers} <= {200, 409}
    winners = [r.json() for r in answers if r.status_code == 200]
    assert winners
    # CouchDB's user cache follows `_users` a moment behind (longer on a loaded machine): poll
    deadline = time.monotonic() + 30
    while True:
        working_couch = [
            w for i, w in enumerate(winners) if couch_status(couch, w["couchdb"], phone_address=f"203.0.113.{i}") == 200
        ]
        if len(working_couch) == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    working_tokens = [w for w in winners if api.get("/v1/me", headers=bearer(w)).status_code == 200]
    assert len(working_couch) == 1 and working_tokens == working_couch


def _user_generation(admin: httpx.Client, owner: dict) -> int:
    return admin.get(user_path(owner)).json()["generation"]


def _hold_rotation_lease(admin: httpx.Client, business_id: str, expires_at: float) -> str:
    """Stand in for a rotation of the business's credentials in progress on another worker;
    returns the lease's path."""
    path = f"/{DEVICES_DB}/{rotation_lease_id(couch_username(business_id))}"
    assert admin.put(path, json={"expires_at": expires_at}).status_code == 201
    return path


def test_a_login_waits_for_another_rotation_before_trying_any_password(api, sms_file, admin, couch):
    """CouchDB locks a password out after 5 refusals from one address, counting against the newest
    salt: the services never have two rotations of one user trying passwords at once."""
    owner = signup(api, sms_file)
    before = _user_generation(admin, owner)
    lease = _hold_rotation_lease(admin, owner["business_id"], time.time() + 60)
    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = pool.submit(login, api, owner)
        time.sleep(1.0)
        assert not waiting.done() and _user_generation(admin, owner) == before
        admin.delete(lease, params={"rev": admin.get(lease).json()["_rev"]})
        answer = waiting.result(timeout=30)
    assert _user_generation(admin, owner) == before + 1
    assert couch_status(couch, answer["couchdb"]) == 200


def test_a_lapsed_rotation_lease_does_not_block_logins(api, sms_file, admin, couch):
    """A rotation that crashed leaves its lease behind; it lapses, so the phone's retry works."""
    owner = signup(api, sms_file)
    _hold_rotation_lease(admin, owner["business_id"], time.time() - 1)
    answer = login(api, owner)
    assert couch_status(couch, answer["couchdb"]) == 200
    second = login(api, owner, "phone-b")  # the first login released its lease
    assert couch_status(couch, second["couchdb"]) == 200


def test_access_token_is_required_and_checked(api):
    assert api.get("/v1/me").status_code == 401
    r = api.get("/v1/me", headers={"Authorization": "Bearer not.valid"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_token"
