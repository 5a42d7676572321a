"""CSV exports (services/reporting/csv_exports.py), streamed: invoices, items and a GSTR-1-friendly table."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from shopbill.services.api.deps import CouchDep, ReaderSession
from shopbill.services.api.documents import check_dates, db_of
from shopbill.services.core.localtime import zone_of
from shopbill.services.reporting.csv_exports import gstr1_csv, invoices_csv, items_csv
from shopbill.services.reporting.invoice_list import utc_bounds

router = APIRouter(prefix="/v1/exports", tags=["exports"])
From = Annotated[date | None, Query(alias="from", description="first day (shop's time zone)")]
To = Annotated[date | None, Query(description="last day, inclusive")]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "UTF-8 CSV with a byte-order mark"}
}


def _csv(rows: AsyncIterator[str], name: str) -> StreamingResponse:
    return StreamingResponse(
        (row.encode("utf-8") async for row in rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"},
    )


def _name(kind: str, start: date | None, end: date | None) -> str:
    return f"{kind}_{start or 'start'}_{end or 'today'}.csv"


@router.get("/invoices.csv", responses=CSV_RESPONSE)
async def export_invoices(
    session: ReaderSession, couch: CouchDep, from_: From = None, to: To = None
) -> StreamingResponse:
    """One row per invoice issued in the date range: totals, tax split, round-off."""
    check_dates(from_, to)
    db = db_of(session)
    zone = zone_of(await couch.get_doc(db, "business"))
    since, until = utc_bounds(from_, to, zone)
    return _csv(invoices_csv(couch, db, zone, since, until), _name("invoices", from_, to))


@router.get("/items.csv", responses=CSV_RESPONSE)
async def export_items(session: ReaderSession, couch: CouchDep) -> StreamingResponse:
    """The catalogue, one row per item."""
    return _csv(items_csv(couch, db_of(session)), "items.csv")


@router.get("/gstr1.csv", responses=CSV_RESPONSE)
async def export_gstr1(session: ReaderSession, couch: CouchDep, from_: From = None, to: To = None) -> StreamingResponse:
    """Per invoice (and credit note) and GST rate: taxable value and IGST/CGST/SGST."""
    check_dates(from_, to)
    db = db_of(session)
    business = await couch.get_doc(db, "business") or {}
    zone = zone_of(business)
    since, until = utc_bounds(from_, to, zone)
    return _csv(gstr1_csv(couch, db, zone, business, since, until), _name("gstr1", from_, to))
