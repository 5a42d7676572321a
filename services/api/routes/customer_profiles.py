"""A customer's name and note (`customer:<e164>` doc), set over REST with revision checks.

History and the customer list are in customers.py; this router only reads and writes the profile.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import Field

from shopbill.services.api.deps import CouchDep, ReaderSession, WriterSession
from shopbill.services.api.documents import StrictBody, db_of, e164_or_422, not_found
from shopbill.services.api.errors import ApiError
from shopbill.services.billing.server_docs import create_doc, get_live, new_doc, update_doc

router = APIRouter(prefix="/v1/customers", tags=["customers"])


class CustomerIn(StrictBody):
    rev: str | None = Field(None, description="the `_rev` you read; required when the customer exists")
    name: str | None = Field(None, description="omitted or null removes it")
    note: str | None = Field(None, description="omitted or null removes it")


@router.get("/{phone}")
async def get_customer(phone: str, session: ReaderSession, couch: CouchDep) -> dict[str, Any]:
    """The customer's profile doc (404 when the shop never named this customer)."""
    doc = await get_live(couch, db_of(session), f"customer:{e164_or_422(phone)}", "customer")
    if doc is None:
        raise not_found("customer")
    return doc


@router.put("/{phone}", responses={201: {"description": "the customer was new"}})
async def put_customer(
    phone: str, body: CustomerIn, response: Response, session: WriterSession, couch: CouchDep
) -> dict[str, Any]:
    """Set the name and note of a customer: 201 when new, 200 when updated at revision `rev`."""
    db, doc_id = db_of(session), f"customer:{e164_or_422(phone)}"
    fields = {"name": body.name, "note": body.note}
    current = await get_live(couch, db, doc_id, "customer")
    if current is None:
        if body.rev is not None:
            raise not_found("customer at that revision")
        response.status_code = 201
        return await create_doc(
            couch, db, new_doc("customer", doc_id, {k: v for k, v in fields.items() if v is not None})
        )
    if body.rev is None:
        raise ApiError(409, "stale_revision", "the customer exists: send the `rev` you read")
    return await update_doc(couch, db, current, body.rev, fields)
