"""Signup: OTP to the phone, verify it, then create the account, its business and database."""

from __future__ import annotations

import contextlib
import uuid

from fastapi import APIRouter

from shopbill.services.api.deps import ClientIp, CouchDep, SettingsDep, SmsDep, StateDep
from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import (
    OtpSent,
    PhoneIn,
    SignupCompleteIn,
    SignupOut,
    SignupTokenOut,
    SignupVerifyIn,
)
from shopbill.services.api.otp_sending import check_otp_caps, send_otp
from shopbill.services.billing.business import provision_business
from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.security import hash_password_async, read_token, sign_token
from shopbill.services.errors import Conflict
from shopbill.services.identity.accounts import (
    activate_phone,
    claim_phone,
    get_account,
    phone_is_registered,
    save_account,
)
from shopbill.services.identity.credentials import couch_username, create_user
from shopbill.services.identity.otp import consume_challenge
from shopbill.validators.checks import gstin_problems

router = APIRouter(prefix="/v1/signup", tags=["signup"])
SIGNUP_TOKEN_SECONDS = 30 * 60


@router.post("/otp", status_code=202, response_model=OtpSent)
async def signup_otp(body: PhoneIn, couch: CouchDep, settings: SettingsDep, sms: SmsDep, ip: ClientIp) -> OtpSent:
    """Text a signup code to a phone that has no account yet (409 `already_registered` if it has)."""
    await check_otp_caps(couch, settings, phones=[body.phone], ip=ip, challenges=[("signup", body.phone)])
    if await phone_is_registered(couch, body.phone):
        raise ApiError(409, "already_registered", "this phone already has an account; log in")
    return await send_otp(couch, settings, sms, purpose="signup", subject=body.phone, phone=body.phone)


@router.post("/verify", response_model=SignupTokenOut)
async def signup_verify(body: SignupVerifyIn, couch: CouchDep, settings: SettingsDep) -> SignupTokenOut:
    """Trade a correct code for a short-lived signup token."""
    if await consume_challenge(couch, settings, purpose="signup", subject=body.phone, code=body.otp) is None:
        raise ApiError(400, "otp_invalid", "the code is wrong, expired or used; ask for a new one")
    token = sign_token(settings.secret_key, "signup", SIGNUP_TOKEN_SECONDS, phone=body.phone, sid=uuid.uuid4().hex)
    return SignupTokenOut(signup_token=token)


@router.post("/complete", status_code=201, response_model=SignupOut)
async def signup_complete(body: SignupCompleteIn, couch: CouchDep, state: StateDep) -> SignupOut:
    """Create the account, the business's CouchDB user and database; a retry resumes, never doubles."""
    settings = state.settings
    claims = read_token(settings.secret_key, body.signup_token, "signup")
    if claims is None:
        raise ApiError(401, "invalid_token", "the signup token is invalid or expired; verify again")
    # A typo'd GSTIN would be accepted here and flagged by the auditor later: say so now instead.
    problems = gstin_problems(body.business.gstin, body.business.state_code)
    if problems:
        fields = [{**p, "field": f"business.{p['field']}"} for p in problems]
        raise ApiError(
            422, "validation_failed", "; ".join(f"{f['field']}: {f['message']}" for f in fields), fields=fields
        )
    target = state.vdu_target
    if target is None:
        raise ApiError(503, "validation_unavailable", "the database server cannot enforce the document rules")
    claim = await claim_phone(couch, phone=claims["phone"], signup_id=claims["sid"])
    if claim is None:
        raise ApiError(409, "already_registered", "this phone already has an account; log in")
    account_id, business_id = claim["account_id"], claim["business_id"]
    if await get_account(couch, account_id) is None:
        with contextlib.suppress(Conflict):  # a concurrent retry of this same signup wrote it
            await save_account(
                couch,
                {
                    "_id": f"account:{account_id}",
                    "phone": claims["phone"],
                    "owner_name": body.owner_name,
                    "password_hash": await hash_password_async(body.password),
                    "business_id": business_id,
                    "created_at": now_rfc3339(),
                },
            )
    await create_user(couch, couch_username(business_id))
    business = {
        "name": body.business.name,
        "owner_name": body.owner_name,
        "category": body.business.category,
        "phone": claims["phone"],
        **body.business.model_dump(exclude_none=True, include={"address", "gstin", "state_code"}),
    }
    await provision_business(couch, business_id=business_id, vdu_target=target, business=business)
    await activate_phone(couch, claim)
    return SignupOut(account_id=account_id, business_id=business_id)
