"""Credit notes of an issued invoice (services/billing/credit_notes.py); the invoice itself never changes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse
from pydantic import Field

from shopbill.services.api.deps import CouchDep, ReaderSession, WriterSession
from shopbill.services.api.documents import (
    UUID_PATTERN,
    StrictBody,
    Uuid,
    db_of,
    print_response,
    sealed_credit_note_or_404,
    sealed_invoice_or_404,
)
from shopbill.services.api.models import PayMethod
from shopbill.services.billing.credit_notes import credit_notes_of, issue_credit_note
from shopbill.services.reporting.invoice_print import print_page

router = APIRouter(prefix="/v1/invoices", tags=["invoices"])


class CreditLineIn(StrictBody):
    line_index: int = Field(ge=0, le=499, description="0-based line of the invoice")
    qty_milli: int = Field(ge=1, le=10**8, description="quantity credited, in thousandths")


class CreditNoteIn(StrictBody):
    id: str = Field(pattern=UUID_PATTERN, description="client-made uuid: the idempotency key")
    reason: str = Field(min_length=1, max_length=200)
    lines: Annotated[list[CreditLineIn], Field(min_length=1, max_length=500)] | None = Field(
        None, description="omit to credit everything not credited yet"
    )
    refund_method: PayMethod | None = Field(
        None, description="how the money went back to the customer; omit when it did not"
    )


@router.post(
    "/{sale_uuid}/credit-notes",
    status_code=201,
    responses={200: {"description": "a retry of the same request: what the first one made"}},
)
async def post_credit_note(
    sale_uuid: Uuid, body: CreditNoteIn, response: Response, session: WriterSession, couch: CouchDep
) -> dict[str, Any]:
    """Credit a whole invoice or some quantity of its lines, with a reason (201; a retry: 200)."""
    db = db_of(session)
    invoice = await sealed_invoice_or_404(couch, db, sale_uuid)
    lines = None if body.lines is None else [line.model_dump() for line in body.lines]
    note, created = await issue_credit_note(
        couch,
        db=db,
        invoice=invoice,
        note_uuid=body.id,
        reason=body.reason,
        lines=lines,
        refund_method=body.refund_method,
    )
    if not created:
        response.status_code = 200
    return note


@router.get("/{sale_uuid}/credit-notes")
async def get_credit_notes(sale_uuid: Uuid, session: ReaderSession, couch: CouchDep) -> dict[str, Any]:
    """The credit notes of an invoice, oldest first."""
    db = db_of(session)
    invoice = await sealed_invoice_or_404(couch, db, sale_uuid)
    notes = await credit_notes_of(couch, db, invoice["_id"])
    return {"credit_notes": sorted(notes.values(), key=lambda n: (n["issued_at"], n["_id"]))}


@router.get("/{sale_uuid}/credit-notes/{note_uuid}/print", response_class=HTMLResponse)
async def print_credit_note(sale_uuid: Uuid, note_uuid: Uuid, session: ReaderSession, couch: CouchDep) -> HTMLResponse:
    """A printable credit note (CGST Rule 53: its number and date, the original invoice's, the
    credited lines and their tax), drawn by the invoice's print page from the sealed revisions."""
    db = db_of(session)
    invoice = await sealed_invoice_or_404(couch, db, sale_uuid)
    note = await sealed_credit_note_or_404(couch, db, invoice, note_uuid)
    business = await couch.get_doc(db, "business")
    customer = await couch.get_doc(db, f"customer:{invoice['customer_phone']}")
    return print_response(*print_page(invoice, business, customer, credit_note=note))
