"""Helpers for tests of the accounts API: unique phones, OTPs read from the SMS file, signup, login."""

from __future__ import annotations

import ipaddress
import json
import random
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

PASSWORD = "correct-horse-42"
NOTICE_PREFIX = "Shop billing: "


def new_phone() -> str:
    """A valid Indian mobile number no other test uses (E.164)."""
    return f"+919{random.randint(0, 999_999_999):09d}"


def new_client_ip() -> str:
    """A client address no other test uses (IPv6 documentation range), so per-IP caps start at 0."""
    return str(ipaddress.IPv6Address("2001:db8::") + uuid.uuid4().int % 2**96)


def local_spelling(phone: str) -> str:
    """The same number as an owner types it: `098765 43210`."""
    digits = phone.removeprefix("+91")
    return f"0{digits[:5]} {digits[5:]}"


def sms_messages(sms_file: Path, phone: str) -> list[str]:
    if not sms_file.exists():
        return []
    lines = [json.loads(line) for line in sms_file.read_text().splitlines()]
    return [m["text"] for m in lines if m["phone"] == phone]


def last_otp(sms_file: Path, phone: str) -> str:
    """The code of the last code message to `phone` (security notices carry none)."""
    texts = [t for t in sms_messages(sms_file, phone) if not t.startswith(NOTICE_PREFIX)]
    assert texts, f"no SMS sent to {phone}"
    match = re.search(r"\b(\d{6})\b", texts[-1])
    assert match, texts[-1]
    return match.group(1)


def notices(sms_file: Path, phone: str) -> list[str]:
    """The security notices texted to `phone`, oldest first."""
    return [t for t in sms_messages(sms_file, phone) if t.startswith(NOTICE_PREFIX)]


def signup(
    api: TestClient,
    sms_file: Path,
    phone: str | None = None,
    *,
    password: str = PASSWORD,
    business: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Sign a new owner up; returns {phone, password, account_id, business_id}."""
    phone = phone or new_phone()
    r = api.post("/v1/signup/otp", json={"phone": phone})
    assert r.status_code == 202, r.text
    r = api.post("/v1/signup/verify", json={"phone": phone, "otp": last_otp(sms_file, phone)})
    assert r.status_code == 200, r.text
    r = api.post(
        "/v1/signup/complete",
        json={
            "signup_token": r.json()["signup_token"],
            "password": password,
            "owner_name": "Ravi Kumar",
            "business": business or {"name": "Ravi Auto Parts", "category": "automobile"},
        },
    )
    assert r.status_code == 201, r.text
    return {"phone": phone, "password": password, **r.json()}


def login(api: TestClient, owner: dict[str, Any], device_id: str | None = None) -> dict[str, Any]:
    """Log the owner in on a (new) device; returns the login answer."""
    r = api.post(
        "/v1/login",
        json={
            "phone": owner["phone"],
            "password": owner["password"],
            "device_id": device_id or f"dev-{uuid.uuid4().hex[:8]}",
        },
    )
    assert r.status_code == 200, r.text
    return r.json()


def bearer(login_answer: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {login_answer['access_token']}"}


def user_path(owner: dict) -> str:
    """The path of the owner's shop user in `_users` (it carries the credential generation)."""
    return f"/_users/{quote('org.couchdb.user:shop_' + owner['business_id'], safe='')}"
