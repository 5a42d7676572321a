"""The shop's own details (the `business` doc): read them, and correct them at a revision.

Only what the owner may change is accepted; the phone and owner name follow the account.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import Field, StringConstraints

from shopbill.services.api.deps import CouchDep, ReaderSession, WriterSession
from shopbill.services.api.documents import StrictBody, db_of, not_found
from shopbill.services.api.errors import field_error
from shopbill.services.billing.server_docs import get_live, update_doc
from shopbill.validators.schemas import GSTIN, UPI_ID

router = APIRouter(prefix="/v1/business", tags=["business"])
REMOVABLE = ("address", "gstin", "state_code", "upi_id")


class BusinessPatch(StrictBody):
    rev: str = Field(description="the `_rev` you read; a stale one is answered 409")
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    category: Literal["automobile", "electrical", "general_trading", "other"] | None = None
    address: Annotated[str, StringConstraints(max_length=300)] | None = Field(None, description='"" removes it')
    gstin: Annotated[str, StringConstraints(pattern=f"{GSTIN}|^$")] | None = Field(
        None, description='15 characters, check digit and state checked; "" removes it'
    )
    state_code: Annotated[str, StringConstraints(pattern=r"^(0[1-9]|[12][0-9]|3[0-8]|97)?$")] | None = Field(
        None, description='two digits, the GSTIN\'s first two when there is one; "" removes it'
    )
    upi_id: Annotated[str, StringConstraints(pattern=f"{UPI_ID}|^$")] | None = Field(
        None, description='the UPI ID (VPA) bills with money due print as a QR, e.g. shopname@okaxis; "" removes it'
    )
    timezone: str | None = Field(None, description="an IANA time zone, e.g. Asia/Kolkata")
    round_off: bool | None = Field(None, description="round invoice totals to the rupee")


async def _business(couch: CouchDep, db: str) -> dict[str, Any]:
    doc = await get_live(couch, db, "business", "business")
    if doc is None:
        raise not_found("business")
    return doc


@router.get("")
async def get_business(session: ReaderSession, couch: CouchDep) -> dict[str, Any]:
    """The shop's `business` doc, with the `_rev` a PATCH must send."""
    return await _business(couch, db_of(session))


@router.patch("")
async def update_business(body: BusinessPatch, session: WriterSession, couch: CouchDep) -> dict[str, Any]:
    """Change the fields sent, at revision `rev` (409 `stale_revision` when it changed since).

    The result is checked like every write: a GSTIN whose check digit or state does not match is
    422 naming `gstin` or `state_code`."""
    db = db_of(session)
    current = await _business(couch, db)
    changes: dict[str, Any] = body.model_dump(exclude={"rev", "round_off"}, exclude_none=True)
    for optional in REMOVABLE:
        if changes.get(optional) == "":
            changes[optional] = None  # update_doc drops None fields
    if body.round_off is not None:
        changes["settings"] = {**current.get("settings", {}), "round_off": body.round_off}
    if "timezone" in changes and not changes["timezone"]:
        raise field_error("timezone", "must not be empty")
    return await update_doc(couch, db, current, body.rev, changes)
