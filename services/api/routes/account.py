"""The owner's rights over the account (DPDP Act): export everything, and delete the account.

Deletion erases the account, the CouchDB user, the device session and the business database at
once; issued invoices and credit notes are tax records the law requires the business to keep for
72 months, so they move to the admin-only archive first and are purged when that period ends.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, BackgroundTasks
from fastapi.responses import Response

from shopbill.services.api.deps import ClientIp, CouchDep, CurrentSession, SettingsDep, SmsDep
from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import AccountDeleteIn, Ok, OtpSent
from shopbill.services.api.otp_sending import check_otp_caps, send_otp
from shopbill.services.api.reauth import confirm_password
from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.names import DEVICES_DB, shop_db
from shopbill.services.identity.accounts import delete_account, get_account
from shopbill.services.identity.api_keys import delete_api_keys
from shopbill.services.identity.credentials import couch_username, delete_user
from shopbill.services.identity.notices import send_notice
from shopbill.services.identity.otp import consume_challenge
from shopbill.services.ops.archive import archive_tax_records, archived_records

router = APIRouter(prefix="/v1/account", tags=["account"])


async def current_account(couch: Any, session: dict[str, Any]) -> dict[str, Any]:
    """The account of a logged-in session; 401 when it no longer exists."""
    account = await get_account(couch, session["account_id"])
    if account is None:
        raise ApiError(401, "invalid_token", "the account no longer exists")
    return account


@router.get("/export")
async def export_account(session: CurrentSession, couch: CouchDep) -> Response:
    """All of the business's documents (and archived tax records) as a JSON download."""
    account = await current_account(couch, session)
    business_id = account["business_id"]
    archive = {
        "exported_at": now_rfc3339(),
        "account": {
            "id": session["account_id"],
            "phone": account["phone"],
            "owner_name": account["owner_name"],
            "created_at": account["created_at"],
        },
        "business_id": business_id,
        "documents": await couch.all_docs(shop_db(business_id)),
        "archived_tax_records": [r["doc"] for r in await archived_records(couch, business_id)],
    }
    return Response(
        json.dumps(archive, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="shop-{business_id}-export.json"'},
    )


@router.post("/delete/otp", status_code=202, response_model=OtpSent)
async def delete_otp(
    session: CurrentSession,
    couch: CouchDep,
    settings: SettingsDep,
    sms: SmsDep,
    ip: ClientIp,
    background: BackgroundTasks,
) -> OtpSent:
    """Text a code confirming the deletion to the account's phone."""
    account = await current_account(couch, session)
    await check_otp_caps(
        couch, settings, phones=[account["phone"]], ip=ip, challenges=[("delete", session["account_id"])]
    )
    sent = await send_otp(couch, settings, sms, purpose="delete", subject=session["account_id"], phone=account["phone"])
    background.add_task(send_notice, couch, sms, account["phone"], "deleting your shop account was requested")
    return sent


@router.post("/delete", response_model=Ok)
async def delete(
    body: AccountDeleteIn,
    session: CurrentSession,
    couch: CouchDep,
    settings: SettingsDep,
    sms: SmsDep,
    background: BackgroundTasks,
) -> Ok:
    """Close the account: archive tax records, then erase everything else."""
    account = await current_account(couch, session)
    await confirm_password(couch, settings, account=account, password=body.password)
    if await consume_challenge(couch, settings, purpose="delete", subject=session["account_id"], code=body.otp) is None:
        raise ApiError(400, "otp_invalid", "the code is wrong, expired or used; ask for a new one")
    business_id = account["business_id"]
    db = shop_db(business_id)
    # Keys first: from here on no integration reads the shop, even if a later step fails.
    await delete_api_keys(couch, business_id=business_id)
    await archive_tax_records(couch, business_id=business_id, docs=await couch.all_docs(db))
    await delete_user(couch, couch_username(business_id))  # the phone's access ends here
    await couch.delete_doc(DEVICES_DB, session)
    await couch.delete_db(db)
    await delete_account(couch, account)
    background.add_task(send_notice, couch, sms, account["phone"], "your shop account was deleted")
    return Ok()
