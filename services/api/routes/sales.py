"""Sales and their later payments over REST (services/billing/sales.py, services/billing/payments.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Response
from pydantic import Field

from shopbill.services.api.deps import CouchDep, ReaderSession, WriterSession
from shopbill.services.api.documents import (
    UUID_PATTERN,
    StrictBody,
    Uuid,
    db_of,
    live_or_404,
)
from shopbill.services.api.models import Phone
from shopbill.services.billing.payments import add_payment, due_paise, synced_payments
from shopbill.services.billing.sales import create_sale

router = APIRouter(prefix="/v1/sales", tags=["sales"])
ITEM_ID = r"^item:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class LineIn(StrictBody):
    item_id: str = Field(pattern=ITEM_ID)
    qty_milli: int = Field(ge=1, le=10**8, description="quantity in thousandths (1.5 kg = 1500)")
    discount_paise: int = Field(0, ge=0, description="line discount in paise")


class SaleIn(StrictBody):
    id: str = Field(pattern=UUID_PATTERN, description="client-made uuid: the idempotency key")
    customer_phone: Phone
    customer_state_code: str | None = Field(
        None, pattern=r"^(0[1-9]|[12][0-9]|3[0-8]|97)$", description="place of supply, when not the shop's state"
    )
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=500)]
    paid_paise: int = Field(ge=0, description="paid at checkout; == total issues the invoice")


class PaymentIn(StrictBody):
    id: str = Field(pattern=UUID_PATTERN, description="client-made uuid: the idempotency key")
    amount_paise: int = Field(ge=1)
    method: Literal["cash", "upi", "card", "other"]


def _answer(sale: dict[str, Any], invoice: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    return {"sale": sale, "invoice": invoice, **extra}


RETRY: dict[int | str, dict[str, Any]] = {200: {"description": "a retry of the same request: what the first one made"}}


@router.post("", status_code=201, responses=RETRY)
async def post_sale(body: SaleIn, response: Response, session: WriterSession, couch: CouchDep) -> dict[str, Any]:
    """Record a sale priced from the catalogue; fully paid → its invoice is issued at once.

    201 when made, 200 for a retry of the same request; 409 `idempotency_conflict` when the id
    belongs to a different sale.
    """
    sale, invoice, created = await create_sale(
        couch,
        db=db_of(session),
        sale_uuid=body.id,
        customer_phone=body.customer_phone,
        lines=[line.model_dump() for line in body.lines],
        paid_paise=body.paid_paise,
        customer_state_code=body.customer_state_code,
    )
    if not created:
        response.status_code = 200
    invoiced = sale["status"] == "invoiced"
    later = {} if invoiced else await synced_payments(couch, db_of(session), sale["_id"])
    due = 0 if invoiced else max(0, due_paise(sale, later))
    return _answer(sale, invoice, due_paise=due)


@router.get("/{sale_uuid}")
async def get_sale(sale_uuid: Uuid, session: ReaderSession, couch: CouchDep) -> dict[str, Any]:
    """A sale with its later payments, its invoice id (if issued) and what is still due."""
    db = db_of(session)
    sale = await live_or_404(couch, db, "sale", sale_uuid)
    payments = await synced_payments(couch, db, sale["_id"])
    invoiced = sale["status"] == "invoiced"
    return {
        "sale": sale,
        "payments": sorted(payments.values(), key=lambda p: p["paid_at"]),
        "invoice_id": f"invoice:{sale_uuid}" if invoiced else None,
        "due_paise": 0 if invoiced else max(0, due_paise(sale, payments)),
    }


@router.post("/{sale_uuid}/payments", status_code=201, responses=RETRY)
async def post_payment(
    sale_uuid: Uuid, body: PaymentIn, response: Response, session: WriterSession, couch: CouchDep
) -> dict[str, Any]:
    """A later payment; overpaying is 422; covering the total issues the invoice exactly once."""
    db = db_of(session)
    sale = await live_or_404(couch, db, "sale", sale_uuid)
    payment, invoice, created = await add_payment(
        couch, db=db, sale=sale, payment_uuid=body.id, amount_paise=body.amount_paise, method=body.method
    )
    if not created:
        response.status_code = 200
    return {"payment": payment, "invoice": invoice}
