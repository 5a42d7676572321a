"""Signup and login over HTTP against a live services process (tests/utils/live_services.py)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.utils.accounts import PASSWORD, last_otp, new_phone
from tests.utils.live_services import LiveServices

BUSINESS = {"name": "Fault Tolerant Traders", "category": "general_trading"}


def signup_token(services: LiveServices, http: httpx.Client, phone: str) -> str:
    """Request and verify a signup code; return the signup token."""
    http.post("/v1/signup/otp", json={"phone": phone}).raise_for_status()
    r = http.post("/v1/signup/verify", json={"phone": phone, "otp": last_otp(services.sms_file, phone)})
    r.raise_for_status()
    return str(r.json()["signup_token"])


def complete_body(token: str) -> dict[str, Any]:
    return {"signup_token": token, "password": PASSWORD, "owner_name": "Asha", "business": BUSINESS}


def live_signup(services: LiveServices, http: httpx.Client) -> dict[str, Any]:
    """A new owner: {phone, password, account_id, business_id}."""
    phone = new_phone()
    r = http.post("/v1/signup/complete", json=complete_body(signup_token(services, http, phone)))
    assert r.status_code == 201, r.text
    return {"phone": phone, "password": PASSWORD, **r.json()}


def live_login(http: httpx.Client, owner: dict[str, Any], device_id: str) -> httpx.Response:
    return http.post("/v1/login", json={"phone": owner["phone"], "password": owner["password"], "device_id": device_id})
