"""Invoices as the server trusts them: the sealed revision, whatever CouchDB's winner is."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from shopbill.services.api.deps import CouchDep, CurrentSession
from shopbill.services.api.errors import ApiError
from shopbill.services.business import business_db
from shopbill.services.sealed import Unsealable, read_sealed

router = APIRouter(prefix="/v1/invoices", tags=["invoices"])
SaleUuid = Annotated[str, Path(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]


@router.get("/{sale_uuid}")
async def get_invoice(sale_uuid: SaleUuid, session: CurrentSession, couch: CouchDep) -> dict[str, Any]:
    """The invoice of a sale, as issued (its sealed revision)."""
    db = business_db(session["business_id"])
    try:
        invoice = await read_sealed(couch, db, f"invoice:{sale_uuid}")
    except Unsealable as exc:
        raise ApiError(409, "invoice_flagged", f"{exc}; the owner has been notified") from exc
    if invoice is None or invoice.get("type") != "invoice":
        raise ApiError(404, "not_found", "no invoice for this sale")
    return invoice
