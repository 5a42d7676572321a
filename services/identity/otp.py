"""One-time passwords sent by SMS: one live challenge per (purpose, subject), kept in CouchDB.

A challenge has its own random secret (pyotp), lives `otp_ttl_seconds`, dies after
`otp_max_attempts` wrong codes, and is used at most once (the use is a revision-checked write).
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from typing import Any, Literal

import pyotp

from shopbill.services.core.config import Settings
from shopbill.services.core.names import OTP_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict

# `phone_change` goes to the new number, `phone_change_current` to the number being left;
# `phone_change_lost` to the new number of a change that waits (identity/phone_changes.py) and
# `phone_change_cancel` to the current number, to cancel such a change.
Purpose = Literal[
    "signup", "reset", "phone_change", "phone_change_current", "phone_change_lost", "phone_change_cancel", "delete"
]


@dataclass(frozen=True)
class Issued:
    code: str | None  # None when refused by the resend cooldown
    expires_in: int
    resend_after: int


def _doc_id(purpose: Purpose, subject: str) -> str:
    return f"otp:{purpose}:{subject}"


async def cooldown_left(couch: Couch, *, purpose: Purpose, subject: str) -> int:
    """Seconds until a new code may be sent for (`purpose`, `subject`); 0 when it may now."""
    existing = await couch.get_doc(OTP_DB, _doc_id(purpose, subject))
    if existing is None or existing.get("used") or time.time() >= existing["resend_at"]:
        return 0
    return int(existing["resend_at"] - time.time()) + 1


async def issue_challenge(
    couch: Couch, settings: Settings, *, purpose: Purpose, subject: str, extra: dict[str, Any] | None = None
) -> Issued:
    """Start a new challenge (replacing any older one) unless the resend cooldown is running."""
    now = time.time()
    doc_id = _doc_id(purpose, subject)
    existing = await couch.get_doc(OTP_DB, doc_id)
    if existing and not existing.get("used") and now < existing["resend_at"]:
        return Issued(None, int(existing["expires_at"] - now), int(existing["resend_at"] - now) + 1)
    secret = pyotp.random_base32()
    doc = {
        "_id": doc_id,
        "secret": secret,
        "attempts": 0,
        "used": False,
        "expires_at": now + settings.otp_ttl_seconds,
        "resend_at": now + settings.otp_resend_seconds,
        **(extra or {}),
    }
    if existing:
        doc["_rev"] = existing["_rev"]
    try:
        await couch.put_doc(OTP_DB, doc)
    except Conflict:  # a concurrent request issued one just now: that one stands
        return Issued(None, settings.otp_ttl_seconds, settings.otp_resend_seconds)
    return Issued(pyotp.HOTP(secret).at(0), settings.otp_ttl_seconds, settings.otp_resend_seconds)


async def consume_challenge(
    couch: Couch, settings: Settings, *, purpose: Purpose, subject: str, code: str
) -> dict[str, Any] | None:
    """Check `code`; on success mark the challenge used and return it, else count a wrong try.

    Returns None for a wrong, expired, dead, used or missing challenge (callers answer alike).
    """
    doc_id = _doc_id(purpose, subject)
    while True:
        doc = await couch.get_doc(OTP_DB, doc_id)
        if (
            doc is None
            or doc["used"]
            or time.time() > doc["expires_at"]
            or doc["attempts"] >= settings.otp_max_attempts
        ):
            return None
        right = hmac.compare_digest(pyotp.HOTP(doc["secret"]).at(0), code)
        if right:
            doc["used"] = True
        else:
            doc["attempts"] += 1
        try:
            await couch.put_doc(OTP_DB, doc)
        except Conflict:
            continue  # raced with another try: re-read, so every try is counted and used once
        return doc if right else None
