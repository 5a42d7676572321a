"""Sales made over REST: priced by the server from the catalogue, invoiced when fully paid.

The client sends the sale's uuid (the idempotency key: the doc id `sale:<uuid>` makes a second
sale impossible) and what the phone's sale screen records (sale_request.py): item ids,
quantities in thousandths, line discounts (paise or a percentage), a whole-bill discount, the
amount paid and how, the B2B buyer. Names, units, HSN, prices and GST rates come from the items;
every amount is computed by validators/arithmetic.py (the bill discount shared over the lines,
round-off as the business's `settings.round_off` says); the sale doc has the phone's shape.

Supply: inter-state when the business has a state code and the place of supply differs from it
(arithmetic.py `supply_of`); intra-state otherwise.

paid == total: the sale is stored `invoiced` and its invoice `invoice:<sale uuid>` is issued at
once in the server's series, with the shop's details as they are now (`seller`); paid < total:
the sale is stored `incomplete` (payments.py). Retrying the same request returns the same sale
and invoice; the same uuid with different content is IdempotencyConflict.
"""

from __future__ import annotations

from typing import Any

from shopbill.services.billing.numbering_server import allocate_number
from shopbill.services.billing.sale_request import BUYER_FIELDS, SaleRequest
from shopbill.services.billing.server_docs import create_doc, new_doc, update_doc
from shopbill.services.couch import Couch
from shopbill.services.errors import AlreadyExists, DocumentInvalid, IdempotencyConflict, StaleRevision
from shopbill.validators import arithmetic
from shopbill.validators.numbering.series import SERVER_INVOICE_SERIES
from shopbill.validators.schemas import shop_fields

SNAPSHOT_FIELDS = ("name", "unit", "hsn", "unit_price_paise", "price_includes_gst", "gst_rate_bp")


def seller_of(business: dict[str, Any] | None) -> dict[str, Any]:
    """`{"seller": ...}`: the shop's details from its `business` doc, frozen on an invoice issued
    now (validators/schemas.py `seller`); empty when there is no business doc to copy."""
    if not business or "name" not in business:
        return {}
    return {"seller": {k: business[k] for k in shop_fields() if k in business}}


async def _items(couch: Couch, db: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    response = await couch.request(
        "POST", f"/{db}/_all_docs", params={"include_docs": "true"}, json={"keys": sorted(set(ids))}
    )
    return {
        row["key"]: row["doc"] for row in response.json()["rows"] if row.get("doc") and row["doc"].get("type") == "item"
    }


def price_lines(requested: list[dict[str, Any]], items: dict[str, dict[str, Any]], supply: str) -> list[dict[str, Any]]:
    """Sale lines from the request and the catalogue, before the bill discount; DocumentInvalid
    names the bad line."""
    lines, problems = [], []
    for i, req in enumerate(requested):
        item = items.get(req["item_id"])
        if item is None or item.get("archived"):
            problems.append(
                {"field": f"lines.{i}.item_id", "message": "no such item" if item is None else "the item is archived"}
            )
            continue
        percent = req.get("discount_bp")
        line = {
            "item_id": req["item_id"],
            **{k: item[k] for k in SNAPSHOT_FIELDS if k in item},
            "qty_milli": req["qty_milli"],
            "discount_paise": req.get("discount_paise", 0),
            **({"discount_bp": percent} if percent is not None else {}),
        }
        try:
            money = arithmetic.line_money(arithmetic.line_input(line), supply)
        except ValueError as exc:
            field = "discount_bp" if percent is not None else "discount_paise"
            problems.append({"field": f"lines.{i}.{field}", "message": str(exc)})
            continue
        lines.append({**line, **vars(money)})
    if problems:
        raise DocumentInvalid(problems)
    return lines


def _with_bill_discount(
    lines: list[dict[str, Any]], request: SaleRequest, supply: str, round_off: bool
) -> dict[str, Any]:
    """arithmetic.sale_money of the lines with the request's bill discount, each line carrying
    its own discount in paise and its share of the bill's (when it has one), as the phone writes."""
    try:
        money = arithmetic.sale_money(
            [arithmetic.line_input(ln) for ln in lines],
            supply,
            round_off,
            request.bill_discount_paise,
            request.bill_discount_bp,
        )
    except ValueError as exc:
        field = "bill_discount_bp" if request.bill_discount_bp is not None else "bill_discount_paise"
        raise DocumentInvalid([{"field": field, "message": str(exc)}]) from exc
    priced = []
    for line, computed in zip(lines, money["lines"], strict=True):  # type: ignore[call-overload]
        share = computed.pop("bill_discount_paise")
        priced.append({**line, **computed, **({"bill_discount_paise": share} if share else {})})
    return {**money, "lines": priced}


async def price_sale(couch: Couch, *, db: str, sale_id: str, request: SaleRequest) -> dict[str, Any]:
    """A new sale doc priced from the catalogue; DocumentInvalid names what is wrong."""
    request.check()
    business = await couch.get_doc(db, "business") or {}
    buyer = request.buyer_fields(business.get("state_code"))
    supply = arithmetic.supply_of(business.get("state_code"), buyer.get("place_of_supply"))
    lines = price_lines(request.lines, await _items(couch, db, [ln["item_id"] for ln in request.lines]), supply)
    money = _with_bill_discount(lines, request, supply, bool(business.get("settings", {}).get("round_off", False)))
    total = int(money["total_paise"])
    if request.paid_paise > total:
        raise DocumentInvalid([{"field": "paid_paise", "message": f"must not exceed the total {total}"}])
    return new_doc(
        "sale",
        sale_id,
        {
            "customer_phone": request.customer_phone,
            "supply": supply,
            "lines": money["lines"],
            "round_off_paise": money["round_off_paise"],
            "total_paise": total,
            "paid_paise": request.paid_paise,
            "status": "invoiced" if request.paid_paise == total else "incomplete",
            **buyer,
            **({"paid_method": request.paid_method} if request.paid_method else {}),
            **request.bill_fields(int(money["bill_discount_paise"])),
        },
    )


async def create_sale(
    couch: Couch, *, db: str, sale_uuid: str, request: SaleRequest
) -> tuple[dict[str, Any], dict[str, Any] | None, bool]:
    """(sale, invoice or None, created). A retry of the same request returns what the first made
    (the sale as it is now: later payments may have invoiced it meanwhile)."""
    sale_id = f"sale:{sale_uuid}"
    sale, created = await couch.get_doc(db, sale_id), False
    if sale is None:
        doc = await price_sale(couch, db=db, sale_id=sale_id, request=request)
        try:
            sale, created = await create_doc(couch, db, doc), True
        except AlreadyExists:  # a concurrent retry of the same request won
            sale = await couch.get_doc(db, sale_id)
    if sale is None or sale.get("type") != "sale" or request.key_of(sale) != request.key():
        raise IdempotencyConflict(sale_id)
    if sale["paid_paise"] == sale["total_paise"]:
        return sale, await ensure_invoice(couch, db=db, sale=sale), created
    # invoiced by later payments: the invoice exists (or is on its way from the phone)
    invoice = await couch.get_doc(db, f"invoice:{sale_uuid}") if sale["status"] == "invoiced" else None
    return sale, invoice, created


async def ensure_invoice(couch: Couch, *, db: str, sale: dict[str, Any]) -> dict[str, Any]:
    """The invoice of a fully paid sale, issued exactly once; the sale is marked `invoiced`."""
    sale_uuid = sale["_id"].split(":", 1)[1]
    invoice_id = f"invoice:{sale_uuid}"
    invoice = await couch.get_doc(db, invoice_id)
    if invoice is None:
        number, issued_at = await allocate_number(couch, db=db, series=SERVER_INVOICE_SERIES, key=sale_uuid)
        business = await couch.get_doc(db, "business")
        doc = new_doc(
            "invoice",
            invoice_id,
            {
                "sale_id": sale["_id"],
                "number": number,
                "customer_phone": sale["customer_phone"],
                "supply": sale["supply"],
                "lines": sale["lines"],
                "round_off_paise": sale["round_off_paise"],
                "total_paise": sale["total_paise"],
                "paid_paise": sale["total_paise"],
                "issued_at": issued_at,
                **{k: sale[k] for k in BUYER_FIELDS if k in sale},
                **{k: sale[k] for k in ("bill_discount_paise", "bill_discount_bp") if k in sale},
                **seller_of(business),
            },
            at=issued_at,
        )
        try:
            invoice = await create_doc(couch, db, doc)
        except AlreadyExists:  # a racing request wrote the same invoice (same number) first
            invoice = await couch.get_doc(db, invoice_id)
    await _mark_invoiced(couch, db, sale)
    assert invoice is not None
    return invoice


async def _mark_invoiced(couch: Couch, db: str, sale: dict[str, Any]) -> None:
    """Set the sale's status to `invoiced` (a revision-checked update, retried on a race)."""
    while sale.get("status") != "invoiced":
        try:
            sale.update(await update_doc(couch, db, sale, sale["_rev"], {"status": "invoiced"}))
        except StaleRevision:
            fresh = await couch.get_doc(db, sale["_id"])
            if fresh is None:
                return
            sale.clear()
            sale.update(fresh)
