"""A phone change for an owner who lost the current number: scheduled, cancellable, applied late.

Without a code to the current number, the password and a code to the new number are not proof
enough to move the account at once (a thief who learned the password and holds the unlocked
phone has both). So the change waits PHONE_CHANGE_WAIT_HOURS; the current number is told at once
and the owner can cancel during the wait. The request is one doc per account in `svc_accounts`
(`phone_change:<account id>`): the services keep no state and run no timer, so a due change is
applied by the next request that looks at it (a login, the status or the complete call).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shopbill.services.core import clock
from shopbill.services.core.names import ACCOUNTS_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import ChangeTaken, Conflict
from shopbill.services.identity.accounts import change_phone

Doc = dict[str, Any]


def _doc_id(account_id: str) -> str:
    return f"phone_change:{account_id}"


async def pending_change(couch: Couch, account_id: str) -> Doc | None:
    """The account's waiting phone change, or None."""
    return await couch.get_doc(ACCOUNTS_DB, _doc_id(account_id))


async def schedule_change(
    couch: Couch, *, account: Doc, new_phone: str, wait_hours: float, now: datetime | None = None
) -> Doc:
    """Record (or replace) the account's request to move to `new_phone` after the wait."""
    account_id = str(account["_id"]).removeprefix("account:")
    moment = now or clock.now()
    doc: Doc = {
        "_id": _doc_id(account_id),
        "old_phone": account["phone"],
        "new_phone": new_phone,
        "requested_at": clock.rfc3339(moment, "seconds"),
        "due_at": clock.rfc3339(moment + timedelta(hours=wait_hours), "seconds"),
    }
    while True:
        existing = await pending_change(couch, account_id)
        if existing is not None:
            doc["_rev"] = existing["_rev"]
        try:
            doc["_rev"] = await couch.put_doc(ACCOUNTS_DB, doc)
            return doc
        except Conflict:
            continue  # a request or a cancel at the same moment: the latest request stands


async def cancel_change(couch: Couch, account_id: str) -> bool:
    """Drop the account's waiting phone change; False when there was none."""
    doc = await pending_change(couch, account_id)
    if doc is None:
        return False
    try:
        await couch.delete_doc(ACCOUNTS_DB, doc)
    except Conflict:
        return await cancel_change(couch, account_id)
    return True


def is_due(change: Doc, now: datetime | None = None) -> bool:
    return clock.parse_time(str(change["due_at"])) <= (now or clock.now())


async def apply_if_due(couch: Couch, account: Doc, now: datetime | None = None) -> Doc | None:
    """Move `account` (updated in place) to its requested number once the wait is over.

    Returns the applied request (its `old_phone` and `new_phone` are for the notices), or None
    when nothing was due. The request is removed only after the move, so a crash in between
    leaves it to be applied by the next call (`change_phone` from the old number is then a no-op
    claim of a number the account already holds).
    """
    account_id = str(account["_id"]).removeprefix("account:")
    change = await pending_change(couch, account_id)
    if change is None or not is_due(change, now):
        return None
    if account["phone"] != change["new_phone"]:
        if account["phone"] != change["old_phone"]:
            await cancel_change(couch, account_id)  # the number changed another way meanwhile
            return None
        if not await change_phone(couch, account=account, new_phone=change["new_phone"]):
            await cancel_change(couch, account_id)
            raise ChangeTaken(change["new_phone"])
    await cancel_change(couch, account_id)
    return change
