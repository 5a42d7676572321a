import logging

from tests.utils.accounts import last_otp, login, signup


def test_passwords_and_otps_never_reach_the_logs(api, sms_file, caplog):
    caplog.set_level(logging.DEBUG)
    owner = signup(api, sms_file, password="very-secret-pass-9")
    signup_otp = last_otp(sms_file, owner["phone"])
    answer = login(api, owner)
    api.post("/v1/login", json={"phone": owner["phone"], "password": "wrong-secret-pass-8", "device_id": "x"})
    api.post("/v1/password/reset/otp", json={"phone": owner["phone"]})
    reset_otp = last_otp(sms_file, owner["phone"])
    logged = caplog.text
    assert logged, "the run produced log records to search"
    for secret in (
        "very-secret-pass-9",
        "wrong-secret-pass-8",
        signup_otp,
        reset_otp,
        answer["couchdb"]["password"],
        answer["refresh_token"],
    ):
        assert secret not in logged
