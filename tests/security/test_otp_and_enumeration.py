"""Brute-forcing OTPs (every challenge dies after 5 wrong codes, also under concurrency; fresh
challenges are capped per phone and per IP) and enumerating registered phones through the
answers or timing of signup, login and password reset."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tests.utils.accounts import PASSWORD, bearer, last_otp, login, new_client_ip, new_phone, signup

MAX_TRIES = 5


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_concurrent_wrong_codes_are_all_counted(api, sms_file):
    """Twenty guesses fired at once cannot slip past the 5-try limit by racing its counter."""
    phone = new_phone()
    api.post("/v1/signup/otp", json={"phone": phone})
    right = last_otp(sms_file, phone)
    guesses = [f"{(int(right) + i) % 1_000_000:06d}" for i in range(1, 21)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(
            pool.map(lambda g: api.post("/v1/signup/verify", json={"phone": phone, "otp": g}).status_code, guesses)
        )
    assert codes == [400] * 20
    assert api.post("/v1/signup/verify", json={"phone": phone, "otp": right}).status_code == 400


def test_reset_phone_change_and_delete_codes_die_after_5_wrong_tries(api, sms_file):
    owner = signup(api, sms_file)
    answer = login(api, owner)
    phone = owner["phone"]
    api.post("/v1/password/reset/otp", json={"phone": phone})
    right = last_otp(sms_file, phone)
    for _ in range(MAX_TRIES):
        r = api.post(
            "/v1/password/reset/complete", json={"phone": phone, "otp": wrong(right), "new_password": "stolen-pass-1"}
        )
        assert r.status_code == 400
    r = api.post("/v1/password/reset/complete", json={"phone": phone, "otp": right, "new_password": "stolen-pass-1"})
    assert r.status_code == 400
    assert api.get("/v1/me", headers=bearer(answer)).status_code == 200, "nothing was reset"

    new = new_phone()
    api.post("/v1/phone/change/otp", headers=bearer(answer), json={"new_phone": new, "password": PASSWORD})
    right, current = last_otp(sms_file, new), last_otp(sms_file, phone)
    for _ in range(MAX_TRIES):
        assert (
            api.post(
                "/v1/phone/change/complete", headers=bearer(answer), json={"otp": wrong(right), "current_otp": current}
            ).status_code
            == 400
        )
    assert (
        api.post(
            "/v1/phone/change/complete", headers=bearer(answer), json={"otp": right, "current_otp": current}
        ).status_code
        == 400
    )

    api.post("/v1/account/delete/otp", headers=bearer(answer))
    right = last_otp(sms_file, phone)
    for _ in range(MAX_TRIES):
        assert (
            api.post(
                "/v1/account/delete", headers=bearer(answer), json={"password": PASSWORD, "otp": wrong(right)}
            ).status_code
            == 400
        )
    assert (
        api.post("/v1/account/delete", headers=bearer(answer), json={"password": PASSWORD, "otp": right}).status_code
        == 400
    )
    assert api.get("/v1/me", headers=bearer(answer)).status_code == 200, "the account is still there"


def test_brute_force_of_one_phone_stops_at_caps_times_tries(app_factory, sms_file):
    """An attacker who asks for a fresh code after every 5 misses gets at most
    OTP_PER_PHONE_PER_HOUR x 5 guesses an hour for a phone (here 3 x 5 = 15, of 10^6 codes)."""
    with app_factory(OTP_PER_PHONE_PER_HOUR="3") as api:
        owner = signup(api, sms_file)  # uses 1 of the phone's 3 codes
        phone = owner["phone"]
        guesses = 0
        for _ in range(10):
            r = api.post("/v1/password/reset/otp", json={"phone": phone})
            if r.status_code == 429:
                assert int(r.headers["Retry-After"]) > 0
                break
            right = last_otp(sms_file, phone)
            for _ in range(MAX_TRIES + 2):
                api.post(
                    "/v1/password/reset/complete",
                    json={"phone": phone, "otp": wrong(right), "new_password": "stolen-pass-1"},
                )
                guesses += 1
        assert guesses == 2 * (MAX_TRIES + 2)  # two codes were issued, then 429
        r = api.post("/v1/login", json={"phone": phone, "password": PASSWORD, "device_id": "d"})
        assert r.status_code == 200, "the password was never reset"


def test_otp_requests_from_one_ip_are_capped_across_phones_and_purposes(app_factory, sms_file):
    ip = new_client_ip()
    with app_factory(client_ip=ip, OTP_PER_IP_PER_HOUR="4") as api:
        codes = [
            api.post("/v1/signup/otp", json={"phone": new_phone()}).status_code,
            api.post("/v1/password/reset/otp", json={"phone": new_phone()}).status_code,
            api.post("/v1/signup/otp", json={"phone": new_phone()}).status_code,
            api.post("/v1/password/reset/otp", json={"phone": new_phone()}).status_code,
            api.post("/v1/signup/otp", json={"phone": new_phone()}).status_code,
            api.post("/v1/password/reset/otp", json={"phone": new_phone()}).status_code,
        ]
    assert codes == [202, 202, 202, 202, 429, 429]


def test_failed_logins_are_capped_per_ip_across_phones(app_factory, sms_file):
    ip = new_client_ip()
    with app_factory(client_ip=ip, LOGIN_FAILURES_PER_IP_PER_HOUR="3") as api:
        owner = signup(api, sms_file)
        codes = [
            api.post(
                "/v1/login", json={"phone": new_phone(), "password": "guess-guess-1", "device_id": "d"}
            ).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        r = api.post("/v1/login", json={"phone": owner["phone"], "password": PASSWORD, "device_id": "d"})
        assert r.status_code == 429, "a capped IP cannot keep guessing, even right"


def test_signup_says_already_registered_but_is_rate_limited_like_the_rest(app_factory, sms_file):
    ip = new_client_ip()
    with app_factory(OTP_PER_IP_PER_HOUR="1000") as setup:
        registered = [signup(setup, sms_file)["phone"] for _ in range(3)]
    with app_factory(client_ip=ip, OTP_PER_IP_PER_HOUR="2") as api:
        answers = [api.post("/v1/signup/otp", json={"phone": p}) for p in registered]
    assert [r.status_code for r in answers] == [409, 409, 429]
    assert answers[0].json()["error"] == "already_registered"


def test_password_reset_answers_alike_for_registered_and_unknown_phones(api, sms_file):
    owner = signup(api, sms_file)
    known = api.post("/v1/password/reset/otp", json={"phone": owner["phone"]})
    unknown = api.post("/v1/password/reset/otp", json={"phone": new_phone()})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert set(known.headers) - {"content-length"} == set(unknown.headers) - {"content-length"}
    bad = {"otp": "000000", "new_password": "a-new-pass-77"}
    a = api.post("/v1/password/reset/complete", json={"phone": owner["phone"], **bad})
    b = api.post("/v1/password/reset/complete", json={"phone": new_phone(), **bad})
    assert a.status_code == b.status_code == 400 and a.json() == b.json()


def test_password_reset_takes_about_as_long_for_registered_and_unknown_phones(api, sms_file):
    """(Login timing is pinned in tests/services/api/test_session.py.)"""
    owner = signup(api, sms_file)

    def median(phone: str) -> float:
        times = []
        for _ in range(7):
            start = time.perf_counter()
            api.post("/v1/password/reset/otp", json={"phone": phone})
            times.append(time.perf_counter() - start)
        return sorted(times)[3]

    known, unknown = median(owner["phone"]), median(new_phone())
    assert unknown > known / 3 and known > unknown / 3, (known, unknown)
