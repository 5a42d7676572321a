"""Changing the account's phone number: the password, a code to the current number and a code to
the new number, all three. The number is how the owner resets the password and gets security
notices, so whoever holds only the unlocked phone (its access token) must not be able to move it.
An owner who lost the current number uses routes/phone_lost.py: the change then waits.
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from shopbill.services.api.deps import ClientIp, CouchDep, CurrentSession, SettingsDep, SmsDep
from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import LoginOut, OtpSent, PhoneChangeCompleteIn, PhoneChangeIn
from shopbill.services.api.otp_sending import check_otp_caps, send_otp
from shopbill.services.api.phone_moves import follow_moved_phone
from shopbill.services.api.reauth import confirm_password
from shopbill.services.api.routes.account import current_account
from shopbill.services.api.routes.session import start_device_session
from shopbill.services.identity.accounts import change_phone, phone_is_registered
from shopbill.services.identity.otp import consume_challenge

router = APIRouter(prefix="/v1/phone/change", tags=["phone"])
PHONE_TAKEN = ApiError(409, "phone_taken", "that phone number belongs to another account")
BAD_CODES = ApiError(400, "otp_invalid", "a code is wrong, expired or used; ask for new ones")


@router.post("/otp", status_code=202, response_model=OtpSent)
async def phone_change_otp(
    body: PhoneChangeIn, session: CurrentSession, couch: CouchDep, settings: SettingsDep, sms: SmsDep, ip: ClientIp
) -> OtpSent:
    """After the password, text one code to the new number and one to the current number."""
    account = await current_account(couch, session)
    await confirm_password(couch, settings, account=account, password=body.password)
    subject = session["account_id"]
    await check_otp_caps(
        couch,
        settings,
        phones=[body.new_phone, account["phone"]],
        ip=ip,
        challenges=[("phone_change", subject), ("phone_change_current", subject)],
    )
    if await phone_is_registered(couch, body.new_phone):
        raise PHONE_TAKEN
    sent = await send_otp(
        couch,
        settings,
        sms,
        purpose="phone_change",
        subject=subject,
        phone=body.new_phone,
        extra={"new_phone": body.new_phone},
    )
    await send_otp(
        couch,
        settings,
        sms,
        purpose="phone_change_current",
        subject=subject,
        phone=account["phone"],
        extra={"new_phone": body.new_phone},
    )
    return sent


@router.post("/complete", response_model=LoginOut)
async def phone_change_complete(
    body: PhoneChangeCompleteIn,
    session: CurrentSession,
    couch: CouchDep,
    settings: SettingsDep,
    sms: SmsDep,
    background: BackgroundTasks,
) -> LoginOut:
    """Move the account to the confirmed new number; rotates the shop's CouchDB credentials and
    returns a fresh login to this device (every other holder of the old ones is cut off)."""
    account = await current_account(couch, session)
    subject = session["account_id"]
    to_new = await consume_challenge(couch, settings, purpose="phone_change", subject=subject, code=body.otp)
    to_current = await consume_challenge(
        couch, settings, purpose="phone_change_current", subject=subject, code=body.current_otp
    )
    if to_new is None or to_current is None or to_new["new_phone"] != to_current["new_phone"]:
        raise BAD_CODES
    old_phone, new_phone = account["phone"], to_new["new_phone"]
    if not await change_phone(couch, account=account, new_phone=new_phone):
        raise PHONE_TAKEN
    await follow_moved_phone(couch, sms, background, account=account, old_phone=old_phone, new_phone=new_phone)
    return await start_device_session(
        couch, settings, account=account, device_id=session["device_id"], device_name=session["device_name"]
    )
