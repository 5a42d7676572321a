"""Changing the account's phone number (a lost SIM or a new number), confirmed by an OTP to it."""

from __future__ import annotations

from fastapi import APIRouter

from shopbill.services.identity.accounts import change_phone, get_account, phone_is_registered
from shopbill.services.api.deps import ClientIp, CouchDep, CurrentSession, SettingsDep, SmsDep
from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import Ok, OtpIn, OtpSent, PhoneChangeIn
from shopbill.services.api.otp_sending import check_otp_caps, send_otp
from shopbill.services.billing.business import business_db, now_rfc3339
from shopbill.services.identity.otp import consume_challenge

router = APIRouter(prefix="/v1/phone/change", tags=["phone"])
PHONE_TAKEN = ApiError(409, "phone_taken", "that phone number belongs to another account")


@router.post("/otp", status_code=202, response_model=OtpSent)
async def phone_change_otp(body: PhoneChangeIn, session: CurrentSession, couch: CouchDep,
                           settings: SettingsDep, sms: SmsDep, ip: ClientIp) -> OtpSent:
    """Text a code to the new phone."""
    await check_otp_caps(couch, settings, phone=body.new_phone, ip=ip)
    if await phone_is_registered(couch, body.new_phone):
        raise PHONE_TAKEN
    return await send_otp(couch, settings, sms, purpose="phone_change",
                          subject=session["account_id"], phone=body.new_phone,
                          extra={"new_phone": body.new_phone})


@router.post("/complete", response_model=Ok)
async def phone_change_complete(body: OtpIn, session: CurrentSession, couch: CouchDep,
                                settings: SettingsDep) -> Ok:
    """Move the account to the confirmed new phone."""
    challenge = await consume_challenge(couch, settings, purpose="phone_change",
                                        subject=session["account_id"], code=body.otp)
    account = await get_account(couch, session["account_id"])
    if challenge is None or account is None:
        raise ApiError(400, "otp_invalid", "the code is wrong, expired or used; ask for a new one")
    if not await change_phone(couch, account=account, new_phone=challenge["new_phone"]):
        raise PHONE_TAKEN
    db = business_db(account["business_id"])
    business = await couch.get_doc(db, "business")
    if business is not None:
        business.update(phone=challenge["new_phone"], updated_at=now_rfc3339())
        await couch.put_doc(db, business)
    return Ok()
