"""What every phone change does once the account has moved: the business doc follows, and both
numbers are told (the direct change in routes/phone.py, a waited one at login or completion)."""

from __future__ import annotations

from typing import Any

from fastapi import BackgroundTasks

from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.names import shop_db
from shopbill.services.couch import Couch
from shopbill.services.errors import ChangeTaken
from shopbill.services.identity.notices import send_notice
from shopbill.services.identity.phone_changes import apply_if_due
from shopbill.services.identity.sms import SmsSender


def masked(phone: str) -> str:
    """A number as a notice shows it: enough for the owner to recognise, no more."""
    return f"…{phone[-4:]}"


async def follow_moved_phone(
    couch: Couch,
    sms: SmsSender | None,
    background: BackgroundTasks,
    *,
    account: dict[str, Any],
    old_phone: str,
    new_phone: str,
) -> None:
    """Put the new number on the business doc and text the change to both numbers."""
    db = shop_db(account["business_id"])
    business = await couch.get_doc(db, "business")
    if business is not None and business.get("phone") != new_phone:
        business.update(phone=new_phone, updated_at=now_rfc3339())
        await couch.put_doc(db, business)
    event = f"your shop account's phone number was changed from {masked(old_phone)} to {masked(new_phone)}"
    background.add_task(send_notice, couch, sms, old_phone, event)
    background.add_task(send_notice, couch, sms, new_phone, event)


async def apply_due_change(
    couch: Couch, sms: SmsSender | None, background: BackgroundTasks, account: dict[str, Any]
) -> bool:
    """Apply the account's waited phone change if its wait is over (`account` is updated).

    True when the account moved; the caller then rotates the credentials (a login does anyway).
    A number another account took during the wait drops the request; the old number is told.
    """
    try:
        change = await apply_if_due(couch, account)
    except ChangeTaken:
        event = "the requested change of your shop account's phone number was dropped: that number is taken"
        background.add_task(send_notice, couch, sms, account["phone"], event)
        return False
    if change is None:
        return False
    await follow_moved_phone(
        couch, sms, background, account=account, old_phone=change["old_phone"], new_phone=change["new_phone"]
    )
    return True
