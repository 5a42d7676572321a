"""Passwords, OTPs, tokens and server secrets never reach the services' real process output
(uvicorn with every logger at DEBUG), across signup, login, failures, refresh and reset.
Extends tests/services/api/test_no_secrets_in_logs.py (in-process caplog) to the process."""

from __future__ import annotations

import httpx

from tests.utils.accounts import last_otp, new_phone
from tests.utils.live_services import LiveServices


def test_no_secret_reaches_the_process_logs(couch, tmp_path):
    services = LiveServices(couch.url, couch.admin_user, couch.admin_password, tmp_path)
    services.start()
    phone, password, wrong = new_phone(), "proc-secret-pass-9", "proc-wrong-pass-8"
    try:
        with httpx.Client(base_url=services.url, timeout=30) as http:
            http.post("/v1/signup/otp", json={"phone": phone}).raise_for_status()
            signup_otp = last_otp(services.sms_file, phone)
            http.post("/v1/signup/verify", json={"phone": phone, "otp": "000000"})
            token = http.post("/v1/signup/verify", json={"phone": phone, "otp": signup_otp}).json()
            http.post(
                "/v1/signup/complete",
                json={
                    **token,
                    "password": password,
                    "owner_name": "Logs",
                    "business": {"name": "Logs Ltd", "category": "other"},
                },
            ).raise_for_status()
            http.post("/v1/login", json={"phone": phone, "password": wrong, "device_id": "d"})
            answer = http.post("/v1/login", json={"phone": phone, "password": password, "device_id": "d"}).json()
            refreshed = http.post("/v1/token/refresh", json={"refresh_token": answer["refresh_token"]}).json()
            http.get("/v1/me", headers={"Authorization": f"Bearer {refreshed['access_token']}"})
            http.post("/v1/password/reset/otp", json={"phone": phone}).raise_for_status()
            reset_otp = last_otp(services.sms_file, phone)
            http.post(
                "/v1/password/reset/complete",
                json={"phone": phone, "otp": reset_otp, "new_password": "proc-new-pass-7"},
            ).raise_for_status()
    finally:
        services.stop()
    logs = services.logs()
    assert "/v1/password/reset/complete" in logs and "DEBUG" in logs, "the process logged verbosely"
    secrets = {
        "password": password,
        "wrong password": wrong,
        "new password": "proc-new-pass-7",
        "signup otp": signup_otp,
        "reset otp": reset_otp,
        "signup token": token["signup_token"],
        "couchdb password": answer["couchdb"]["password"],
        "access token": answer["access_token"],
        "refresh token": answer["refresh_token"],
        "refreshed token": refreshed["refresh_token"],
        "admin password": couch.admin_password,
        "secret key": "k" * 40,
    }
    leaked = [name for name, value in secrets.items() if value in logs]
    assert leaked == []
