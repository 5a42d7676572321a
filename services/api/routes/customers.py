"""Customers of the caller's business: purchase history by phone, and the customers seen."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from shopbill.services.api.deps import CouchDep, ReaderSession
from shopbill.services.api.documents import e164_or_422
from shopbill.services.api.errors import field_error
from shopbill.services.core.names import shop_db
from shopbill.services.reporting.customers import list_customers
from shopbill.services.reporting.history import customer_history

router = APIRouter(prefix="/v1/customers", tags=["customers"])
Limit = Annotated[int, Query(ge=1, le=100)]


@router.get("/{phone}/history")
async def get_history(
    phone: str, session: ReaderSession, couch: CouchDep, limit: Limit = 20, cursor: str | None = None
) -> dict[str, Any]:
    """The customer's visits, totals, outstanding dues, top items and purchases (newest first)."""
    e164 = e164_or_422(phone)
    return await customer_history(couch, shop_db(session["business_id"]), e164, limit=limit, cursor=cursor)


@router.get("")
async def get_customers(
    session: ReaderSession, couch: CouchDep, query: str | None = None, limit: Limit = 20, cursor: str | None = None
) -> dict[str, Any]:
    """The customers seen (phone, name, visits, last visit), searchable by phone digits or name."""
    if query is not None and len(query) > 100:
        raise field_error("query", "at most 100 characters")
    return await list_customers(couch, shop_db(session["business_id"]), query=query, limit=limit, cursor=cursor)
