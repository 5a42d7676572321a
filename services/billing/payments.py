"""Later payments against an incomplete sale; the invoice is issued when they cover the total.

Overpaying must be refused even when two payments race, and a payment doc is immutable (it
cannot be withdrawn after the fact), so acceptance is decided first, in one revision-checked write
to the sale's payment journal in the admin-only `svc_counters` db (`paid:<db>:<sale uuid>`,
`{"payments": {<payment id>: <payment doc>}}`): of two racing payments, the second re-reads the
journal and sees the first. Then the payment doc is written (create-only), and any journal entry
whose doc is missing (a crash in between) is written by the next request: an accepted payment is
never lost. Payments synced from the phone count too (they are read from the business db).
"""

from __future__ import annotations

from typing import Any

from shopbill.services.billing.sales import ensure_invoice
from shopbill.services.billing.server_docs import create_doc, new_doc
from shopbill.services.core.names import COUNTERS_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import AlreadyExists, Conflict, DocumentInvalid, PaymentIdTaken, SaleNotOpen

Doc = dict[str, Any]


async def synced_payments(couch: Couch, db: str, sale_id: str) -> dict[str, Doc]:
    """The payment docs of a sale in the business db, by id."""
    response = await couch.request(
        "POST", f"/{db}/_find", json={"selector": {"type": "payment", "sale_id": sale_id}, "limit": 100_000}
    )
    return {doc["_id"]: doc for doc in response.json()["docs"]}


def due_paise(sale: Doc, payments: dict[str, Doc]) -> int:
    return int(sale["total_paise"]) - int(sale["paid_paise"]) - sum(int(p["amount_paise"]) for p in payments.values())


async def add_payment(
    couch: Couch, *, db: str, sale: Doc, payment_uuid: str, amount_paise: int, method: str
) -> tuple[Doc, Doc | None, bool]:
    """(payment, invoice or None, created). A retry with the same payment uuid changes nothing."""
    payment_id = f"payment:{payment_uuid}"
    journal_id = f"paid:{db}:{sale['_id'].split(':', 1)[1]}"
    while True:
        journal = await couch.get_doc(COUNTERS_DB, journal_id) or {"_id": journal_id, "payments": {}}
        synced = await synced_payments(couch, db, sale["_id"])
        # accepted earlier but never written (a crash in between): write them before deciding
        await _write_missing(couch, db, [p for k, p in journal["payments"].items() if k not in synced])
        payments = {**synced, **journal["payments"]}
        if payment_id not in payments and await couch.get_doc(db, payment_id) is not None:
            raise PaymentIdTaken(payment_id)  # a payment of another sale has this id
        if payment_id in payments:
            payment, created = payments[payment_id], False
            if payment["sale_id"] != sale["_id"] or payment["amount_paise"] != amount_paise:
                raise PaymentIdTaken(payment_id)
            break
        if sale["status"] == "invoiced" or due_paise(sale, payments) <= 0:
            raise SaleNotOpen(sale["_id"])
        due = due_paise(sale, payments)
        if amount_paise > due:
            raise DocumentInvalid([{"field": "amount_paise", "message": f"overpays the sale: {due} paise are due"}])
        payment = new_doc(
            "payment", payment_id, {"sale_id": sale["_id"], "amount_paise": amount_paise, "method": method}
        )
        payment["paid_at"] = payment["created_at"]
        journal["payments"][payment_id] = payment
        try:
            await couch.put_doc(COUNTERS_DB, journal)
        except Conflict:
            continue  # another payment was accepted meanwhile: decide again
        payments[payment_id], created = payment, True
        await _write_missing(couch, db, [payment])
        break
    invoice = None
    if due_paise(sale, payments) == 0:
        invoice = await ensure_invoice(couch, db=db, sale=sale)
    return payment, invoice, created


async def _write_missing(couch: Couch, db: str, accepted: list[Doc]) -> None:
    """Write accepted payments to the business db (create-only: one written already stays)."""
    for doc in accepted:
        try:
            await create_doc(couch, db, {k: v for k, v in doc.items() if k != "_rev"})
        except AlreadyExists:
            pass
