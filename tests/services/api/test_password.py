from tests.utils.accounts import bearer, last_otp, login, new_phone, signup, sms_messages


def test_password_change_rotates_and_returns_a_fresh_login(api, sms_file, couch):
    owner = signup(api, sms_file)
    first = login(api, owner, "till-1")
    r = api.post(
        "/v1/password/change",
        headers=bearer(first),
        json={"old_password": owner["password"], "new_password": "brand-new-pass"},
    )
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert fresh["device_id"] == "till-1"
    with couch.client(auth=(first["couchdb"]["username"], first["couchdb"]["password"])) as old:
        assert old.get(f"/{first['couchdb']['db']}").status_code == 401
    assert api.get("/v1/me", headers=bearer(fresh)).status_code == 200
    assert (
        api.post(
            "/v1/login", json={"phone": owner["phone"], "password": owner["password"], "device_id": "x"}
        ).status_code
        == 401
    )
    owner["password"] = "brand-new-pass"
    login(api, owner)


def test_password_change_needs_the_old_password_and_a_good_new_one(api, sms_file):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    r = api.post(
        "/v1/password/change",
        headers=bearer(answer),
        json={"old_password": "wrong-one-1", "new_password": "brand-new-pass"},
    )
    assert r.status_code == 401
    r = api.post(
        "/v1/password/change",
        headers=bearer(answer),
        json={"old_password": owner["password"], "new_password": "12345678"},
    )
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "new_password"


def test_reset_by_otp_sets_the_password_and_revokes_the_device(api, sms_file, couch):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    assert api.post("/v1/password/reset/otp", json={"phone": owner["phone"]}).status_code == 202
    r = api.post(
        "/v1/password/reset/complete",
        json={"phone": owner["phone"], "otp": last_otp(sms_file, owner["phone"]), "new_password": "after-reset-1"},
    )
    assert r.status_code == 200, r.text
    assert api.get("/v1/me", headers=bearer(answer)).status_code == 401
    with couch.client(auth=(answer["couchdb"]["username"], answer["couchdb"]["password"])) as old:
        assert old.get(f"/{answer['couchdb']['db']}").status_code == 401
    owner["password"] = "after-reset-1"
    login(api, owner)


def test_reset_answers_alike_for_unknown_phones_and_texts_nobody(api, sms_file):
    owner = signup(api, sms_file)
    known = api.post("/v1/password/reset/otp", json={"phone": owner["phone"]})
    stranger = new_phone()
    unknown = api.post("/v1/password/reset/otp", json={"phone": stranger})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert sms_messages(sms_file, stranger) == []
    r = api.post("/v1/password/reset/complete", json={"phone": stranger, "otp": "123456", "new_password": "whatever-1"})
    assert r.status_code == 400 and r.json()["error"] == "otp_invalid"
