"""Accounts, in the admin-only `svc_accounts` database.

- `phone:<e164>` claims a phone number for one account: the doc id makes a second account for the
  same phone impossible. It records the signup that created it, so a retried completion of the
  same signup resumes it instead of failing, and `state` (`creating` until every step is done).
- `account:<id>` holds the owner's name, the Argon2id password hash and the business id.
"""

from __future__ import annotations

import uuid
from typing import Any

from shopbill.services.core.names import ACCOUNTS_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict


async def claim_phone(couch: Couch, *, phone: str, signup_id: str) -> dict[str, Any] | None:
    """Claim `phone` for a new account made by `signup_id`; resume it if that signup claimed it.

    Returns the phone doc, or None when another signup (an existing account) holds the phone.
    """
    doc = {
        "_id": f"phone:{phone}",
        "account_id": uuid.uuid4().hex,
        "business_id": uuid.uuid4().hex,
        "signup_id": signup_id,
        "state": "creating",
    }
    try:
        doc["_rev"] = await couch.put_doc(ACCOUNTS_DB, doc)
        return doc
    except Conflict:
        existing = await couch.get_doc(ACCOUNTS_DB, f"phone:{phone}")
        if existing and existing.get("signup_id") == signup_id:
            return existing
        return None


async def phone_is_registered(couch: Couch, phone: str) -> bool:
    return await couch.get_doc(ACCOUNTS_DB, f"phone:{phone}") is not None


async def get_account_by_phone(couch: Couch, phone: str) -> dict[str, Any] | None:
    """The fully created account of `phone`, or None."""
    claim = await couch.get_doc(ACCOUNTS_DB, f"phone:{phone}")
    if claim is None or claim["state"] != "active":
        return None
    return await get_account(couch, claim["account_id"])


async def get_account(couch: Couch, account_id: str) -> dict[str, Any] | None:
    return await couch.get_doc(ACCOUNTS_DB, f"account:{account_id}")


async def save_account(couch: Couch, account: dict[str, Any]) -> None:
    """Write `account` (revision-checked when it has `_rev`); sets its new `_rev`."""
    account["_rev"] = await couch.put_doc(ACCOUNTS_DB, account)


async def activate_phone(couch: Couch, claim: dict[str, Any]) -> None:
    """Mark the phone claim active: the account is complete and can log in."""
    if claim["state"] != "active":
        claim["state"] = "active"
        claim["_rev"] = await couch.put_doc(ACCOUNTS_DB, claim)


async def change_phone(couch: Couch, *, account: dict[str, Any], new_phone: str) -> bool:
    """Move `account` to `new_phone`: claim the new number first, then release the old one.

    Returns False when the new number belongs to another account.
    """
    old_phone = account["phone"]
    claim = await couch.get_doc(ACCOUNTS_DB, f"phone:{old_phone}")
    new_claim = {
        "_id": f"phone:{new_phone}",
        "account_id": account["_id"].removeprefix("account:"),
        "business_id": account["business_id"],
        "signup_id": None,
        "state": "active",
    }
    try:
        await couch.put_doc(ACCOUNTS_DB, new_claim)
    except Conflict:
        return False
    account["phone"] = new_phone
    await save_account(couch, account)
    if claim is not None:
        await couch.delete_doc(ACCOUNTS_DB, claim)
    return True


async def delete_account(couch: Couch, account: dict[str, Any]) -> None:
    """Remove the account and its phone claim."""
    claim = await couch.get_doc(ACCOUNTS_DB, f"phone:{account['phone']}")
    if claim is not None:
        await couch.delete_doc(ACCOUNTS_DB, claim)
    await couch.delete_doc(ACCOUNTS_DB, account)
