"""A phone change for an owner who lost the current number: the password and a code to the new
number schedule it; it waits PHONE_CHANGE_WAIT_HOURS (identity/phone_changes.py), the current
number is told at once and can cancel it with a code or the password; once due it is applied by
the owner's next login or by `complete`, which rotates the CouchDB credentials like a direct change.
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks
from pydantic import BaseModel, model_validator

from shopbill.services.api.deps import ClientIp, CouchDep, CurrentSession, SettingsDep, SmsDep
from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import AnyPassword, Body, LoginOut, Otp, OtpIn, OtpSent, Phone, PhoneChangeIn, PhoneIn
from shopbill.services.api.otp_sending import check_otp_caps, send_otp
from shopbill.services.api.phone_moves import apply_due_change, masked
from shopbill.services.api.reauth import WRONG_PASSWORD, confirm_password
from shopbill.services.api.routes.account import current_account
from shopbill.services.api.routes.phone import BAD_CODES, PHONE_TAKEN
from shopbill.services.api.routes.session import start_device_session
from shopbill.services.identity.accounts import get_account_by_phone, phone_is_registered
from shopbill.services.identity.notices import send_notice
from shopbill.services.identity.otp import consume_challenge
from shopbill.services.identity.phone_changes import cancel_change, is_due, pending_change, schedule_change

router = APIRouter(prefix="/v1/phone/change/lost", tags=["phone"])
NOTHING_PENDING = ApiError(404, "no_phone_change", "no phone number change is waiting")


class PendingChange(BaseModel):
    new_phone: str  # masked: the status may be read from a stolen phone
    requested_at: str
    due_at: str
    due: bool


class PendingOut(BaseModel):
    pending: PendingChange | None


class CancelIn(Body):
    """The current number and one proof of its owner: the password, or a code sent to it."""

    phone: Phone
    password: AnyPassword | None = None
    otp: Otp | None = None

    @model_validator(mode="after")
    def _one_proof(self) -> CancelIn:
        if (self.password is None) == (self.otp is None):
            raise ValueError("give either password or otp")
        return self


class Cancelled(BaseModel):
    cancelled: bool


def _pending(change: dict[str, str]) -> PendingChange:
    return PendingChange(
        new_phone=masked(change["new_phone"]),
        requested_at=change["requested_at"],
        due_at=change["due_at"],
        due=is_due(change),
    )


@router.post("/otp", status_code=202, response_model=OtpSent)
async def lost_phone_otp(
    body: PhoneChangeIn, session: CurrentSession, couch: CouchDep, settings: SettingsDep, sms: SmsDep, ip: ClientIp
) -> OtpSent:
    """After the password, text a code to the new number only."""
    account = await current_account(couch, session)
    await confirm_password(couch, settings, account=account, password=body.password)
    subject = session["account_id"]
    await check_otp_caps(couch, settings, phones=[body.new_phone], ip=ip, challenges=[("phone_change_lost", subject)])
    if await phone_is_registered(couch, body.new_phone):
        raise PHONE_TAKEN
    return await send_otp(
        couch,
        settings,
        sms,
        purpose="phone_change_lost",
        subject=subject,
        phone=body.new_phone,
        extra={"new_phone": body.new_phone},
    )


@router.post("", status_code=202, response_model=PendingChange)
async def schedule_lost_phone_change(
    body: OtpIn,
    session: CurrentSession,
    couch: CouchDep,
    settings: SettingsDep,
    sms: SmsDep,
    background: BackgroundTasks,
) -> PendingChange:
    """With the new number's code, schedule the change and tell the current number how to stop it."""
    account = await current_account(couch, session)
    challenge = await consume_challenge(
        couch, settings, purpose="phone_change_lost", subject=session["account_id"], code=body.otp
    )
    if challenge is None:
        raise BAD_CODES
    if await phone_is_registered(couch, challenge["new_phone"]):
        raise PHONE_TAKEN
    change = await schedule_change(
        couch, account=account, new_phone=challenge["new_phone"], wait_hours=settings.phone_change_wait_hours
    )
    event = (
        f"a change of your shop account's phone number to {masked(change['new_phone'])} was requested; "
        f"it takes effect after {change['due_at']}. To stop it, log in and cancel it, or cancel it "
        "with the password or a code sent to this number"
    )
    background.add_task(send_notice, couch, sms, account["phone"], event)
    return _pending(change)


@router.get("", response_model=PendingOut)
async def lost_phone_change_status(session: CurrentSession, couch: CouchDep) -> PendingOut:
    """The waiting change, if any, and whether its wait is over."""
    change = await pending_change(couch, session["account_id"])
    return PendingOut(pending=None if change is None else _pending(change))


@router.post("/complete", response_model=LoginOut)
async def complete_lost_phone_change(
    session: CurrentSession, couch: CouchDep, settings: SettingsDep, sms: SmsDep, background: BackgroundTasks
) -> LoginOut:
    """Apply a change whose wait is over: rotates the shop's CouchDB credentials and returns a
    fresh login to this device (409 `phone_change_waiting` before then)."""
    account = await current_account(couch, session)
    change = await pending_change(couch, session["account_id"])
    if change is None:
        raise NOTHING_PENDING
    if not is_due(change):
        raise ApiError(409, "phone_change_waiting", f"the change takes effect after {change['due_at']}")
    if not await apply_due_change(couch, sms, background, account):
        raise PHONE_TAKEN
    return await start_device_session(
        couch, settings, account=account, device_id=session["device_id"], device_name=session["device_name"]
    )


@router.post("/cancel/otp", status_code=202, response_model=OtpSent)
async def cancel_code(body: PhoneIn, couch: CouchDep, settings: SettingsDep, sms: SmsDep, ip: ClientIp) -> OtpSent:
    """Text a cancel code to the current number if a change of it waits (same answer otherwise)."""
    account = await get_account_by_phone(couch, body.phone)
    subject = str(account["_id"]).removeprefix("account:") if account else ""
    await check_otp_caps(
        couch, settings, phones=[body.phone], ip=ip, challenges=[("phone_change_cancel", subject)] if subject else []
    )
    if not subject or await pending_change(couch, subject) is None:
        return OtpSent(expires_in=settings.otp_ttl_seconds, resend_after=settings.otp_resend_seconds)
    return await send_otp(couch, settings, sms, purpose="phone_change_cancel", subject=subject, phone=body.phone)


@router.post("/cancel", response_model=Cancelled)
async def cancel_lost_phone_change(
    body: CancelIn, couch: CouchDep, settings: SettingsDep, sms: SmsDep, background: BackgroundTasks
) -> Cancelled:
    """Cancel the waiting change of the account of `phone` (no login needed: the owner's device
    may be the thief's now)."""
    account = await get_account_by_phone(couch, body.phone)
    if body.password is not None:
        if account is None:
            raise WRONG_PASSWORD
        await confirm_password(couch, settings, account=account, password=body.password)
    else:
        subject = str(account["_id"]).removeprefix("account:") if account else ""
        code = body.otp or ""
        if (
            account is None
            or await consume_challenge(couch, settings, purpose="phone_change_cancel", subject=subject, code=code)
            is None
        ):
            raise BAD_CODES
    assert account is not None
    cancelled = await cancel_change(couch, str(account["_id"]).removeprefix("account:"))
    if cancelled:
        event = "the requested change of your shop account's phone number was cancelled"
        background.add_task(send_notice, couch, sms, account["phone"], event)
    return Cancelled(cancelled=cancelled)
