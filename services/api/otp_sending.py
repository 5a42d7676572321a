"""Sending an OTP from a route: rate caps per phone and per client IP, cooldown, the SMS text."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import OtpSent
from shopbill.services.core.config import Settings
from shopbill.services.couch import Couch
from shopbill.services.errors import SmsFailed
from shopbill.services.identity.otp import Purpose, cooldown_left, issue_challenge
from shopbill.services.identity.ratelimit import hit
from shopbill.services.identity.sms import OtpMessage, SmsSender
from shopbill.services.identity.sms_status import record_outcome

log = logging.getLogger(__name__)
COOLDOWN_DETAIL = "a code was sent moments ago; wait before asking again"


def too_many(retry_after: int, detail: str) -> ApiError:
    return ApiError(429, "rate_limited", detail, headers={"Retry-After": str(max(retry_after, 1))})


async def check_otp_caps(
    couch: Couch, settings: Settings, *, phones: Sequence[str], ip: str, challenges: Sequence[tuple[Purpose, str]]
) -> None:
    """Count one OTP request against the hourly caps of each of `phones` and of the client IP.

    A request that the resend cooldown of one of its `challenges` (purpose, subject) refuses is
    refused first and not counted: asking again too early must not use up the owner's hour."""
    for purpose, subject in challenges:
        wait = await cooldown_left(couch, purpose=purpose, subject=subject)
        if wait:
            raise too_many(wait, COOLDOWN_DETAIL)
    caps = [
        ("otp-ip", ip, settings.otp_per_ip_per_hour),
        *(("otp-phone", phone, settings.otp_per_phone_per_hour) for phone in phones),
    ]
    for scope, key, limit in caps:
        verdict = await hit(couch, scope=scope, key=key, limit=limit)
        if not verdict.allowed:
            raise too_many(verdict.retry_after, "too many codes requested; try again later")


async def send_otp(
    couch: Couch,
    settings: Settings,
    sms: SmsSender | None,
    *,
    purpose: Purpose,
    subject: str,
    phone: str,
    extra: dict[str, Any] | None = None,
) -> OtpSent:
    """Issue a challenge and text its code to `phone` (`sms=None`: issue but send nothing)."""
    issued = await issue_challenge(couch, settings, purpose=purpose, subject=subject, extra=extra)
    if issued.code is None:
        raise too_many(issued.resend_after, COOLDOWN_DETAIL)
    if sms is not None:
        message = OtpMessage(issued.code, settings.otp_ttl_seconds // 60)
        try:
            await sms.send(phone, message)
        except SmsFailed as exc:
            await record_outcome(couch, backend=sms.scheme, error=exc.detail)
            log.warning("SMS gateway %s did not take a %s code: %s", sms.scheme, purpose, exc.detail)
            raise
        await record_outcome(couch, backend=sms.scheme, error=None)
    return OtpSent(expires_in=issued.expires_in, resend_after=issued.resend_after)
