"""Sales and their later payments over REST (services/billing/sales.py, services/billing/payments.py)."""

from __future__ import annotations

from typing import Annotated, Any

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
from shopbill.services.api.errors import field_error
from shopbill.services.api.models import PayMethod, Phone
from shopbill.services.billing.payments import add_payment, due_paise, synced_payments
from shopbill.services.billing.sale_request import SaleRequest
from shopbill.services.billing.sales import create_sale
from shopbill.validators.schemas import GSTIN, STATE_CODE

router = APIRouter(prefix="/v1/sales", tags=["sales"])
ITEM_ID = r"^item:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class LineIn(StrictBody):
    item_id: str = Field(pattern=ITEM_ID)
    qty_milli: int = Field(ge=1, le=10**8, description="quantity in thousandths (1.5 kg = 1500)")
    discount_paise: int = Field(0, ge=0, description="line discount in paise")
    discount_bp: int | None = Field(
        None, ge=0, le=10000, description="a percentage line discount in basis points (1000 = 10 %), instead"
    )


class SaleIn(StrictBody):
    id: str = Field(pattern=UUID_PATTERN, description="client-made uuid: the idempotency key")
    customer_phone: Phone
    buyer_gstin: str | None = Field(None, pattern=GSTIN, description="a registered buyer's GSTIN (check digit checked)")
    buyer_name: str | None = Field(None, min_length=1, max_length=100)
    buyer_address: str | None = Field(None, min_length=1, max_length=300)
    place_of_supply: str | None = Field(
        None, pattern=STATE_CODE, description="a state code; IGST when not the shop's state (B2B default: the GSTIN's)"
    )
    customer_state_code: str | None = Field(
        None,
        pattern=STATE_CODE,
        description="the older name of place_of_supply",
        json_schema_extra={"deprecated": True},  # in the docs only: pydantic warns on each read of a deprecated field
    )
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=500)]
    bill_discount_paise: int = Field(0, ge=0, description="a discount on the whole bill, shared over the lines")
    bill_discount_bp: int | None = Field(None, ge=0, le=10000, description="or a percentage of the bill, in bp")
    paid_paise: int = Field(ge=0, description="paid at checkout; == total issues the invoice")
    paid_method: PayMethod | None = Field(None, description="how paid_paise was paid")

    def request(self) -> SaleRequest:
        """The sale asked for, in the sale doc's field names; 422 when the two names of the place
        of supply disagree."""
        place = self.place_of_supply or self.customer_state_code
        if self.customer_state_code and place != self.customer_state_code:
            raise field_error("customer_state_code", "differs from place_of_supply: give one")
        buyer = {"buyer_gstin": self.buyer_gstin, "buyer_name": self.buyer_name, "buyer_address": self.buyer_address}
        return SaleRequest(
            customer_phone=self.customer_phone,
            lines=[line.model_dump(exclude_none=True) for line in self.lines],
            paid_paise=self.paid_paise,
            paid_method=self.paid_method,
            buyer={k: v for k, v in {**buyer, "place_of_supply": place}.items() if v is not None},
            bill_discount_paise=self.bill_discount_paise,
            bill_discount_bp=self.bill_discount_bp,
        )


class PaymentIn(StrictBody):
    id: str = Field(pattern=UUID_PATTERN, description="client-made uuid: the idempotency key")
    amount_paise: int = Field(ge=1)
    method: PayMethod


def _answer(sale: dict[str, Any], invoice: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    return {"sale": sale, "invoice": invoice, **extra}


RETRY: dict[int | str, dict[str, Any]] = {200: {"description": "a retry of the same request: what the first one made"}}


@router.post("", status_code=201, responses=RETRY)
async def post_sale(body: SaleIn, response: Response, session: WriterSession, couch: CouchDep) -> dict[str, Any]:
    """Record a sale priced from the catalogue; fully paid → its invoice is issued at once.

    The sale has the phone's shape: line discounts in paise or percent, a whole-bill discount
    shared over the lines before tax, the B2B buyer and place of supply (IGST when it is not the
    shop's state), how the amount paid was paid. 422 names the field of a bad value (a mistyped
    buyer GSTIN, a discount above the bill). 201 when made, 200 for a retry of the same request;
    409 `idempotency_conflict` when the id belongs to a different sale.
    """
    sale, invoice, created = await create_sale(couch, db=db_of(session), sale_uuid=body.id, request=body.request())
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
