"""Invoices as the server trusts them: the sealed revision, whatever CouchDB's winner is.

There is no update or delete endpoint: an issued invoice is corrected only by a credit note.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from shopbill.services.api.deps import CouchDep, ReaderSession
from shopbill.services.api.documents import (
    After,
    Limit,
    Uuid,
    check_dates,
    db_of,
    e164_or_422,
    print_response,
    sealed_invoice_or_404,
)
from shopbill.services.core.localtime import zone_of
from shopbill.services.reporting.invoice_list import list_invoices, utc_bounds
from shopbill.services.reporting.invoice_print import print_page

router = APIRouter(prefix="/v1/invoices", tags=["invoices"])
SaleUuid = Uuid
NUMBER = r"^[A-Z0-9]{1,6}/[0-9]{4}/[0-9]{1,8}$"


@router.get("")
async def get_invoices(
    session: ReaderSession,
    couch: CouchDep,
    from_: Annotated[date | None, Query(alias="from", description="first day (shop's time zone)")] = None,
    to: Annotated[date | None, Query(description="last day, inclusive")] = None,
    number: Annotated[str | None, Query(pattern=NUMBER)] = None,
    customer: Annotated[str | None, Query(max_length=32, description="phone")] = None,
    after: After = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """Issued invoices (sealed revisions) in id order; `flagged` lists ids left out as untrusted."""
    check_dates(from_, to)
    if customer is not None:
        customer = e164_or_422(customer, "customer")
    db = db_of(session)
    since, until = utc_bounds(from_, to, zone_of(await couch.get_doc(db, "business")))
    invoices, flagged, cursor = await list_invoices(
        couch, db, since=since, until=until, number=number, customer=customer, after=after, limit=limit
    )
    return {"invoices": invoices, "flagged": flagged, "next": cursor}


@router.get("/{sale_uuid}")
async def get_invoice(sale_uuid: SaleUuid, session: ReaderSession, couch: CouchDep) -> dict[str, Any]:
    """The invoice of a sale, as issued (its sealed revision)."""
    return await sealed_invoice_or_404(couch, db_of(session), sale_uuid)


@router.get("/{sale_uuid}/print", response_class=HTMLResponse)
async def print_invoice(sale_uuid: SaleUuid, session: ReaderSession, couch: CouchDep) -> HTMLResponse:
    """A printable invoice page (Rule 46 fields the shop has: GSTIN, HSN, tax split, amount in words)."""
    db = db_of(session)
    invoice = await sealed_invoice_or_404(couch, db, sale_uuid)
    business = await couch.get_doc(db, "business")
    customer = await couch.get_doc(db, f"customer:{invoice['customer_phone']}")
    return print_response(*print_page(invoice, business, customer))
