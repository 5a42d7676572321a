"""Shared pieces of the routers over a business's documents: path types, paging, 404 and 422 answers.

Refused writes (DocumentError) and taken ids rise to the error table (services/api/errors.py).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict

from shopbill.services.api.errors import ApiError, field_error
from shopbill.services.billing.server_docs import get_live
from shopbill.services.core.localtime import checking_zone
from shopbill.services.core.names import shop_db
from shopbill.services.couch import Couch
from shopbill.services.errors import InvalidPhone
from shopbill.services.identity.phones import normalize_phone
from shopbill.services.integrity.sealed import read_sealed
from shopbill.services.integrity.trusted import counts, findings_of

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Uuid = Annotated[str, Path(pattern=UUID_PATTERN, description="the document's uuid (lowercase)")]
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
After = Annotated[str | None, Query(max_length=200, description="cursor: `next` of the previous page")]
Rev = Annotated[str, Query(min_length=3, max_length=100, description="the revision you read")]


class StrictBody(BaseModel):
    """A request body: unknown fields refused, no type coercion (`"12"` is not a number)."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


def db_of(session: dict[str, Any]) -> str:
    """The caller's own business database (the only one a caller ever reaches)."""
    return shop_db(session["business_id"])


def page(key: str, docs: list[dict[str, Any]], cursor: str | None) -> dict[str, Any]:
    return {key: docs, "next": cursor}


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def check_dates(start: date | None, end: date | None) -> None:
    """422 naming `from` or `to` unless FIRST_DAY <= from <= to <= LAST_DAY."""
    for name, day in (("from", start), ("to", end)):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise field_error(name, f"must be between {FIRST_DAY} and {LAST_DAY}")
    if start and end and end < start:
        raise field_error("to", "must not be before from")


def print_response(html: str, csp: str) -> HTMLResponse:
    """A print page: its own Content-Security-Policy, never cached (it holds the shop's data)."""
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": csp,
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"no such {what}")


def e164_or_422(phone: str, field: str = "phone") -> str:
    """`phone` in E.164, or a 422 naming `field`."""
    try:
        return normalize_phone(phone)
    except InvalidPhone as exc:
        raise field_error(field, str(exc)) from exc


async def _counted_or_409(couch: Couch, db: str, doc: dict[str, Any], what: str) -> dict[str, Any]:
    """`doc` when the auditor's rule keeps it in the books, else 409 `<type>_flagged`."""
    findings = await findings_of(couch, db, [doc])
    if not counts(doc, findings, await checking_zone(couch, db, [doc])):
        raise ApiError(409, f"{doc['type']}_flagged", f"{what} breaks the shop's rules; the owner has been notified")
    return doc


async def sealed_invoice_or_404(couch: Couch, db: str, sale_uuid: str) -> dict[str, Any]:
    """The sealed revision of the invoice of sale `sale_uuid`: 404 when there is none, 409 when
    the auditor flagged it."""
    invoice = await read_sealed(couch, db, f"invoice:{sale_uuid}")
    if invoice is None or invoice.get("type") != "invoice":
        raise not_found("invoice for this sale")
    return await _counted_or_409(couch, db, invoice, "the invoice as issued")


async def sealed_credit_note_or_404(couch: Couch, db: str, invoice: dict[str, Any], note_uuid: str) -> dict[str, Any]:
    """The sealed revision of credit note `note_uuid` of `invoice`: 404 when there is none (or it
    credits another invoice), 409 when the auditor left it out of the books (e.g. an over-credit)."""
    note = await read_sealed(couch, db, f"credit_note:{note_uuid}")
    if note is None or note.get("type") != "credit_note" or note.get("invoice_id") != invoice["_id"]:
        raise not_found("credit note of this invoice")
    return await _counted_or_409(couch, db, note, "the credit note")


async def live_or_404(couch: Couch, db: str, doc_type: str, doc_uuid: str) -> dict[str, Any]:
    """The live (not deleted) `<doc_type>:<doc_uuid>` of `db`, or a 404 naming the type."""
    doc = await get_live(couch, db, f"{doc_type}:{doc_uuid}", doc_type)
    if doc is None:
        raise not_found(doc_type)
    return doc
