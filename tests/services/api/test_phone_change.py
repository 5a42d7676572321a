from shopbill.services.core.names import shop_db
from tests.utils.accounts import PASSWORD, bearer, last_otp, login, new_phone, signup


def change_phone(api, sms_file, owner, answer, new):
    """Ask for both codes with the password, then complete; returns the completion answer."""
    r = api.post("/v1/phone/change/otp", headers=bearer(answer), json={"new_phone": new, "password": owner["password"]})
    assert r.status_code == 202, r.text
    return api.post(
        "/v1/phone/change/complete",
        headers=bearer(answer),
        json={"otp": last_otp(sms_file, new), "current_otp": last_otp(sms_file, owner["phone"])},
    )


def test_phone_change_moves_the_account_to_the_new_number(api, sms_file, admin):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    new = new_phone()
    r = change_phone(api, sms_file, owner, answer, new)
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert api.get("/v1/me", headers=bearer(fresh)).json()["account"]["phone"] == new
    assert admin.get(f"/{shop_db(owner['business_id'])}/business").json()["phone"] == new
    old_login = api.post("/v1/login", json={"phone": owner["phone"], "password": owner["password"], "device_id": "d"})
    assert old_login.status_code == 401
    old_phone, owner["phone"] = owner["phone"], new
    login(api, owner)
    # The old number is free again: it can sign up a new shop.
    assert api.post("/v1/signup/otp", json={"phone": old_phone}).status_code == 202


def test_phone_of_another_account_cannot_be_taken(api, sms_file):
    owner, other = signup(api, sms_file), signup(api, sms_file)
    answer = login(api, owner)
    r = api.post(
        "/v1/phone/change/otp", headers=bearer(answer), json={"new_phone": other["phone"], "password": PASSWORD}
    )
    assert r.status_code == 409 and r.json()["error"] == "phone_taken"


def test_phone_change_needs_the_right_codes(api, sms_file):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    new = new_phone()
    api.post("/v1/phone/change/otp", headers=bearer(answer), json={"new_phone": new, "password": PASSWORD})
    r = api.post(
        "/v1/phone/change/complete",
        headers=bearer(answer),
        json={"otp": last_otp(sms_file, new), "current_otp": "000000"},
    )
    assert r.status_code == 400 and r.json()["error"] == "otp_invalid"
