"""Password change (logged in) and password reset by OTP (forgotten password)."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from shopbill.services.api.deps import ClientIp, CouchDep, CurrentSession, SettingsDep, SmsDep
from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import LoginOut, Ok, OtpSent, PasswordChangeIn, PhoneIn, ResetCompleteIn
from shopbill.services.api.otp_sending import check_otp_caps, send_otp
from shopbill.services.api.reauth import confirm_password
from shopbill.services.api.routes.account import current_account
from shopbill.services.api.routes.session import start_device_session
from shopbill.services.core.security import hash_password_async
from shopbill.services.identity.accounts import get_account_by_phone, save_account
from shopbill.services.identity.devices import get_session, revoke_device
from shopbill.services.identity.notices import send_notice
from shopbill.services.identity.otp import consume_challenge

router = APIRouter(prefix="/v1/password", tags=["password"])
BAD_CODE = ApiError(400, "otp_invalid", "the code is wrong, expired or used; ask for a new one")


@router.post("/change", response_model=LoginOut)
async def change_password(
    body: PasswordChangeIn,
    session: CurrentSession,
    couch: CouchDep,
    settings: SettingsDep,
    sms: SmsDep,
    background: BackgroundTasks,
) -> LoginOut:
    """Change the password (wrong current ones capped per account); rotates the credentials and
    returns a fresh login to this device."""
    account = await current_account(couch, session)
    await confirm_password(couch, settings, account=account, password=body.old_password)
    account["password_hash"] = await hash_password_async(body.new_password)
    await save_account(couch, account)
    answer = await start_device_session(
        couch, settings, account=account, device_id=session["device_id"], device_name=session["device_name"]
    )
    background.add_task(send_notice, couch, sms, account["phone"], "the password of your shop account was changed")
    return answer


@router.post("/reset/otp", status_code=202, response_model=OtpSent)
async def reset_otp(body: PhoneIn, couch: CouchDep, settings: SettingsDep, sms: SmsDep, ip: ClientIp) -> OtpSent:
    """Text a reset code; the answer is the same whether or not the phone has an account."""
    await check_otp_caps(couch, settings, phones=[body.phone], ip=ip, challenges=[("reset", body.phone)])
    registered = await get_account_by_phone(couch, body.phone) is not None
    # An unknown phone gets a challenge too (never sent), so work and answer do not differ.
    return await send_otp(
        couch, settings, sms if registered else None, purpose="reset", subject=body.phone, phone=body.phone
    )


@router.post("/reset/complete", response_model=Ok)
async def reset_complete(
    body: ResetCompleteIn, couch: CouchDep, settings: SettingsDep, sms: SmsDep, background: BackgroundTasks
) -> Ok:
    """Set a new password with a reset code; the active device is signed out."""
    challenge = await consume_challenge(couch, settings, purpose="reset", subject=body.phone, code=body.otp)
    account = await get_account_by_phone(couch, body.phone)
    if challenge is None or account is None:
        raise BAD_CODE
    account["password_hash"] = await hash_password_async(body.new_password)
    await save_account(couch, account)
    session = await get_session(couch, account["_id"].removeprefix("account:"))
    if session is not None and not session["revoked"]:
        await revoke_device(couch, session)
    background.add_task(
        send_notice, couch, sms, account["phone"], "the password of your shop account was reset by SMS code"
    )
    return Ok()
