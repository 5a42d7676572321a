"""Reports of the caller's business: sales by day, month, item or group; dues; invoice series."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from shopbill.services.api.deps import CouchDep, ReaderSession
from shopbill.services.api.errors import field_error
from shopbill.services.core.names import shop_db
from shopbill.services.reporting.dues import incomplete_sales
from shopbill.services.reporting.reports import MAX_DAYS, sales_report, series_report

router = APIRouter(prefix="/v1/reports", tags=["reports"])
# Days the shop's time zone can convert to UTC (date(1, 1, 1) in IST overflowed: a 500).
EARLIEST, LATEST = date(2000, 1, 1), date(9998, 12, 31)


@router.get("/sales")
async def get_sales(
    session: ReaderSession,
    couch: CouchDep,
    start: Annotated[date, Query(alias="from", description="first local day, YYYY-MM-DD")],
    end: Annotated[date, Query(alias="to", description="last local day (inclusive)")],
    group_by: Literal["day", "month", "item", "group"] = "day",
) -> dict[str, Any]:
    """Totals, counts, invoice vs incomplete amounts and GST, in the business's time zone."""
    for name, day in (("from", start), ("to", end)):
        if not EARLIEST <= day <= LATEST:
            raise field_error(name, f"must be between {EARLIEST} and {LATEST}")
    if end < start:
        raise field_error("to", "must not be before from")
    if (end - start).days + 1 > MAX_DAYS:
        raise field_error("to", f"a report covers at most {MAX_DAYS} days")
    return await sales_report(couch, shop_db(session["business_id"]), start=start, end=end, group_by=group_by)


@router.get("/incomplete")
async def get_incomplete(
    session: ReaderSession, couch: CouchDep, limit: Annotated[int, Query(ge=1, le=100)] = 20, cursor: str | None = None
) -> dict[str, Any]:
    """Incomplete sales with an outstanding amount, newest first."""
    return await incomplete_sales(couch, shop_db(session["business_id"]), limit=limit, cursor=cursor)


@router.get("/series")
async def get_series(session: ReaderSession, couch: CouchDep) -> dict[str, Any]:
    """The auditor's continuity of invoice and credit-note numbers, per series and financial year."""
    return await series_report(couch, shop_db(session["business_id"]))
