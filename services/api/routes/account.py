"""The owner's rights over the account (DPDP Act): export everything, and delete the account.

Deletion erases the account, the CouchDB user, the device session and the business database at
once; issued invoices and credit notes are tax records the law requires the business to keep for
72 months, so they move to the admin-only archive first and are purged when that period ends.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from shopbill.services.identity.accounts import delete_account, get_account
from shopbill.services.api.deps import ClientIp, CouchDep, CurrentSession, SettingsDep, SmsDep
from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import AccountDeleteIn, Ok, OtpSent
from shopbill.services.api.otp_sending import check_otp_caps, send_otp
from shopbill.services.ops.archive import archive_tax_records, archived_records
from shopbill.services.billing.business import business_db, now_rfc3339
from shopbill.services.core.security import verify_password_async
from shopbill.services.identity.credentials import couch_username, delete_user
from shopbill.services.identity.devices import DEVICES_DB
from shopbill.services.identity.otp import consume_challenge

router = APIRouter(prefix="/v1/account", tags=["account"])


async def _account(couch: Any, session: dict[str, Any]) -> dict[str, Any]:
    account = await get_account(couch, session["account_id"])
    if account is None:
        raise ApiError(401, "invalid_token", "the account no longer exists")
    return account


@router.get("/export")
async def export_account(session: CurrentSession, couch: CouchDep) -> Response:
    """All of the business's documents (and archived tax records) as a JSON download."""
    account = await _account(couch, session)
    business_id = account["business_id"]
    archive = {
        "exported_at": now_rfc3339(),
        "account": {"id": session["account_id"], "phone": account["phone"],
                    "owner_name": account["owner_name"], "created_at": account["created_at"]},
        "business_id": business_id,
        "documents": await couch.all_docs(business_db(business_id)),
        "archived_tax_records": [r["doc"] for r in await archived_records(couch, business_id)],
    }
    return Response(json.dumps(archive, ensure_ascii=False), media_type="application/json",
                    headers={"Content-Disposition":
                             f'attachment; filename="shop-{business_id}-export.json"'})


@router.post("/delete/otp", status_code=202, response_model=OtpSent)
async def delete_otp(session: CurrentSession, couch: CouchDep, settings: SettingsDep, sms: SmsDep,
                     ip: ClientIp) -> OtpSent:
    """Text a code confirming the deletion to the account's phone."""
    account = await _account(couch, session)
    await check_otp_caps(couch, settings, phone=account["phone"], ip=ip)
    return await send_otp(couch, settings, sms, purpose="delete", subject=session["account_id"],
                          phone=account["phone"])


@router.post("/delete", response_model=Ok)
async def delete(body: AccountDeleteIn, session: CurrentSession, couch: CouchDep,
                 settings: SettingsDep) -> Ok:
    """Close the account: archive tax records, then erase everything else."""
    account = await _account(couch, session)
    if not await verify_password_async(account["password_hash"], body.password):
        raise ApiError(401, "invalid_credentials", "the password is wrong")
    if await consume_challenge(couch, settings, purpose="delete", subject=session["account_id"],
                               code=body.otp) is None:
        raise ApiError(400, "otp_invalid", "the code is wrong, expired or used; ask for a new one")
    business_id = account["business_id"]
    db = business_db(business_id)
    await archive_tax_records(couch, business_id=business_id, docs=await couch.all_docs(db))
    await delete_user(couch, couch_username(business_id))  # the phone's access ends here
    await couch.delete_doc(DEVICES_DB, session)
    await couch.delete_db(db)
    await delete_account(couch, account)
    return Ok()
