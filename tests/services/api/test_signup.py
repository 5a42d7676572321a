import time

from shopbill.services.core.names import shop_db
from tests.utils.accounts import last_otp, local_spelling, new_client_ip, new_phone, signup, sms_messages


def test_signup_creates_account_business_db_and_design_docs(api, sms_file, admin):
    phone = new_phone()
    r = api.post("/v1/signup/otp", json={"phone": local_spelling(phone)})
    assert r.status_code == 202
    assert set(r.json()) == {"expires_in", "resend_after"} and r.json()["expires_in"] == 300
    r = api.post("/v1/signup/verify", json={"phone": phone, "otp": last_otp(sms_file, phone)})
    token = r.json()["signup_token"]
    body = {
        "signup_token": token,
        "password": "shop-pass-1",
        "owner_name": "Meena",
        "business": {
            "name": "Meena Electricals",
            "category": "electrical",
            "gstin": "29ABCDE1234F1ZW",
            "state_code": "29",
        },
    }
    r = api.post("/v1/signup/complete", json=body)
    assert r.status_code == 201, r.text
    ids = r.json()
    db = shop_db(ids["business_id"])
    security = admin.get(f"/{db}/_security").json()
    assert security["members"]["names"] == [f"shop_{ids['business_id']}"]
    business = admin.get(f"/{db}/business").json()
    assert business["name"] == "Meena Electricals" and business["phone"] == phone
    assert business["gstin"] == "29ABCDE1234F1ZW"
    ddocs = admin.get(f"/{db}/_all_docs", params={"startkey": '"_design/"', "endkey": '"_design0"'})
    assert ddocs.json()["rows"], "validation design doc installed"
    # Completing twice with the same token (a retry after a lost answer): same result, one account.
    again = api.post("/v1/signup/complete", json=body)
    assert again.status_code == 201 and again.json() == ids


def test_registered_phone_gets_409_already_registered(api, sms_file):
    owner = signup(api, sms_file)
    r = api.post("/v1/signup/otp", json={"phone": owner["phone"]})
    assert r.status_code == 409 and r.json()["error"] == "already_registered"


def test_a_second_signup_for_the_same_phone_cannot_complete(api, sms_file):
    phone = new_phone()
    tokens = []
    for _ in range(2):
        api.post("/v1/signup/otp", json={"phone": phone})
        r = api.post("/v1/signup/verify", json={"phone": phone, "otp": last_otp(sms_file, phone)})
        tokens.append(r.json()["signup_token"])
    body = {"password": "shop-pass-1", "owner_name": "A", "business": {"name": "A", "category": "other"}}
    assert api.post("/v1/signup/complete", json={**body, "signup_token": tokens[0]}).status_code == 201
    r = api.post("/v1/signup/complete", json={**body, "signup_token": tokens[1]})
    assert r.status_code == 409 and r.json()["error"] == "already_registered"


def test_wrong_otp_limit_kills_the_challenge(api, sms_file):
    phone = new_phone()
    api.post("/v1/signup/otp", json={"phone": phone})
    right = last_otp(sms_file, phone)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        r = api.post("/v1/signup/verify", json={"phone": phone, "otp": wrong})
        assert r.status_code == 400 and r.json()["error"] == "otp_invalid"
    r = api.post("/v1/signup/verify", json={"phone": phone, "otp": right})
    assert r.status_code == 400, "after 5 wrong tries even the right code is refused"


def test_otp_is_single_use(api, sms_file):
    phone = new_phone()
    api.post("/v1/signup/otp", json={"phone": phone})
    code = last_otp(sms_file, phone)
    assert api.post("/v1/signup/verify", json={"phone": phone, "otp": code}).status_code == 200
    assert api.post("/v1/signup/verify", json={"phone": phone, "otp": code}).status_code == 400


def test_otp_expires(app_factory, sms_file):
    with app_factory(OTP_TTL_SECONDS="1") as api:
        phone = new_phone()
        api.post("/v1/signup/otp", json={"phone": phone})
        time.sleep(1.5)
        r = api.post("/v1/signup/verify", json={"phone": phone, "otp": last_otp(sms_file, phone)})
        assert r.status_code == 400


def test_resend_cooldown_answers_429_with_retry_after(app_factory, sms_file):
    with app_factory(OTP_RESEND_SECONDS="30") as api:
        phone = new_phone()
        assert api.post("/v1/signup/otp", json={"phone": phone}).status_code == 202
        r = api.post("/v1/signup/otp", json={"phone": phone})
        assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 31
        assert len(sms_messages(sms_file, phone)) == 1


def test_hourly_cap_per_phone(app_factory):
    with app_factory(OTP_PER_PHONE_PER_HOUR="3") as api:
        phone = new_phone()
        codes = [api.post("/v1/signup/otp", json={"phone": phone}).status_code for _ in range(4)]
        assert codes == [202, 202, 202, 429]


def test_hourly_cap_per_client_ip(app_factory):
    ip = new_client_ip()
    with app_factory(client_ip=ip, OTP_PER_IP_PER_HOUR="2") as api:
        codes = [api.post("/v1/signup/otp", json={"phone": new_phone()}).status_code for _ in range(3)]
        assert codes == [202, 202, 429]
        assert int(api.post("/v1/signup/otp", json={"phone": new_phone()}).headers["Retry-After"]) > 0


def test_signup_token_is_checked(api):
    body = {
        "signup_token": "forged.token",
        "password": "shop-pass-1",
        "owner_name": "X",
        "business": {"name": "X", "category": "other"},
    }
    r = api.post("/v1/signup/complete", json=body)
    assert r.status_code == 401 and r.json()["error"] == "invalid_token"


def test_malformed_bodies_get_422_naming_the_field(api):
    r = api.post("/v1/signup/otp", json={"phone": "12345"})
    assert r.status_code == 422
    assert r.json()["error"] == "validation_failed"
    assert [f["field"] for f in r.json()["fields"]] == ["phone"]
    r = api.post(
        "/v1/signup/complete",
        json={"signup_token": "x", "password": "12345678", "owner_name": "", "business": {"category": "toys"}},
    )
    fields = {f["field"] for f in r.json()["fields"]}
    assert {"password", "owner_name", "business.name", "business.category"} <= fields
    r = api.post("/v1/signup/otp", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "validation_failed"
