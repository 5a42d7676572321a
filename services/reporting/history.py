"""A customer's purchase history, derived from the synced sales, invoices and payments.

Keyed strictly by the E.164 phone. Read live with `_find` on the `by-phone` Mango index (the
customer's sales and invoices) and the `by-sale` index (later payments of incomplete sales), so
it is current as soon as a phone has synced. Money is integer paise.

- A checkout with a counted invoice is a purchase of kind "invoice" (at its `issued_at`); a sale
  still `incomplete` is a purchase of kind "incomplete" (at its `created_at`). A sale marked
  invoiced whose invoice has not arrived yet is not counted until it does.
- outstanding = total − paid at checkout − later payments (never below 0).
- Credit notes of an invoice are netted out of it whatever their date: the purchase shows
  `credited_paise`, `net_paise` (total − credited) and its notes, each item its credited quantity
  and money, and top items count net quantities and amounts. A credit note names its invoice,
  not the customer, and neither `_find` with `$in` over the invoice ids (it scans every credit
  note of the shop: 1.2 s for 2,000) nor one `_find` per invoice (0.3-0.45 s for 20) fits the
  100 ms target (embedded server, loaded machine); so the auditor lists a customer's credit notes
  in the `cust:` roll-up and they show once it has seen them (seconds), read then live at their
  sealed revisions. A flagged one is left out and listed under `flagged`, like a flagged invoice.
- visits = distinct days (in the business's time zone) with a purchase.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shopbill.services.core.clock import parse_time
from shopbill.services.core.localtime import local_day, zone_of
from shopbill.services.core.names import ROLLUP_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import BadCursor
from shopbill.services.integrity.trusted import Doc, Findings, get_many, settle
from shopbill.services.reporting.cursors import decode_cursor, encode_cursor

TOP_ITEMS = 5
FIND_LIMIT = 1_000_000  # `_find` defaults to 25 results; a customer's docs are read in full


async def find_all(couch: Couch, db: str, selector: dict[str, Any], index: str) -> list[Doc]:
    """Every doc matching `selector`, read through the Mango index `index`."""
    response = await couch.request(
        "POST",
        f"/{db}/_find",
        json={"selector": selector, "use_index": f"shopbill-{index}", "limit": FIND_LIMIT, "conflicts": True},
    )
    return list(response.json()["docs"])


async def later_payments(
    couch: Couch, db: str, sale_ids: list[str], findings: Findings | None = None
) -> tuple[dict[str, int], list[str]]:
    """({sale id: sum of its counted later payments}, flagged payment ids)."""
    found = await asyncio.gather(
        *(find_all(couch, db, {"type": "payment", "sale_id": sale_id}, "by-sale") for sale_id in sale_ids)
    )
    payments, flagged = await settle(couch, db, [p for docs in found for p in docs], findings)
    paid: dict[str, int] = defaultdict(int)
    for payment in payments:
        paid[payment["sale_id"]] += int(payment["amount_paise"])
    return dict(paid), flagged


async def credit_notes(
    couch: Couch, db: str, note_ids: list[str], findings: Findings | None = None
) -> tuple[dict[str, list[Doc]], list[str]]:
    """({invoice id: its counted credit notes, oldest first}, flagged credit note ids)."""
    found = await get_many(couch, db, note_ids)
    notes, flagged = await settle(couch, db, list(found.values()), findings)
    by_invoice: dict[str, list[Doc]] = defaultdict(list)
    for note in sorted(notes, key=lambda n: (parse_time(n["issued_at"]), n["_id"])):
        by_invoice[note["invoice_id"]].append(note)
    return dict(by_invoice), flagged


def purchases_of(
    docs: list[Doc], paid_later: dict[str, int], credits: dict[str, list[Doc]] | None = None
) -> list[dict[str, Any]]:
    """One purchase per checkout: its invoice if counted (net of its credit notes), else its
    sale if still incomplete."""
    invoiced = {d["sale_id"] for d in docs if d.get("type") == "invoice"}
    purchases = []
    for doc in docs:
        if doc.get("type") == "invoice":
            purchase = _purchase(doc, "invoice", doc["sale_id"], doc["issued_at"], 0)
            purchases.append(net_of(purchase, (credits or {}).get(doc["_id"], [])))
        elif doc.get("type") == "sale" and doc.get("status") == "incomplete" and doc["_id"] not in invoiced:
            purchases.append(
                net_of(_purchase(doc, "incomplete", doc["_id"], doc["created_at"], paid_later.get(doc["_id"], 0)), [])
            )
    purchases.sort(key=order_key, reverse=True)
    return purchases


def order_key(purchase: dict[str, Any]) -> tuple[datetime, str]:
    """Purchases are ordered by time (parsed: `…00Z` and `…00.123Z` differ in length), then id."""
    return parse_time(purchase["at"]), purchase["sale_id"]


def _purchase(doc: Doc, kind: str, sale_id: str, at: str, later: int) -> dict[str, Any]:
    total, at_checkout = int(doc["total_paise"]), int(doc["paid_paise"])
    return {
        "sale_id": sale_id,
        "kind": kind,
        "at": at,
        "number": doc.get("number"),
        "total_paise": total,
        "paid_at_checkout_paise": at_checkout,
        "paid_later_paise": later,
        "outstanding_paise": 0 if kind == "invoice" else max(0, total - at_checkout - later),
        "items": [
            {
                "item_id": line.get("item_id"),
                "name": line["name"],
                "qty_milli": line["qty_milli"],
                "amount_paise": line["amount_paise"],
            }
            for line in doc["lines"]
        ],
    }


def net_of(purchase: dict[str, Any], notes: list[Doc]) -> dict[str, Any]:
    """`purchase` with what `notes` credited: in total, per credit note and per item (line)."""
    for item in purchase["items"]:
        item |= {"credited_qty_milli": 0, "credited_paise": 0}
    for note in notes:
        for line in note["lines"]:
            if line["line_index"] >= len(purchase["items"]):
                continue  # a phone-made note naming no line of the invoice: its total still counts
            item = purchase["items"][line["line_index"]]
            item["credited_qty_milli"] += line["qty_milli"]
            item["credited_paise"] += line["amount_paise"]
    credited = sum(int(note["total_paise"]) for note in notes)
    return {
        **purchase,
        "credited_paise": credited,
        "net_paise": purchase["total_paise"] - credited,
        "credit_notes": [
            {
                "id": n["_id"],
                "number": n["number"],
                "issued_at": n["issued_at"],
                "reason": n["reason"],
                "total_paise": n["total_paise"],
            }
            for n in notes
        ],
    }


def summarize(purchases: list[dict[str, Any]], zone: ZoneInfo) -> dict[str, Any]:
    """Visits, first/last visit, invoice and incomplete totals, average gap, top items."""
    days = sorted({local_day(p["at"], zone) for p in purchases})
    invoices = [p for p in purchases if p["kind"] == "invoice"]
    incomplete = [p for p in purchases if p["kind"] == "incomplete"]
    gap = round((days[-1] - days[0]).days / (len(days) - 1), 1) if len(days) > 1 else None
    return {
        "first_visit": days[0].isoformat() if days else None,
        "last_visit": days[-1].isoformat() if days else None,
        "visits": len(days),
        "invoices": {
            "count": len(invoices),
            "total": sum(p["total_paise"] for p in invoices),
            "credited": sum(p["credited_paise"] for p in invoices),
            "net": sum(p["net_paise"] for p in invoices),
        },
        "incomplete": {
            "count": len(incomplete),
            "total": sum(p["total_paise"] for p in incomplete),
            "paid_at_checkout": sum(p["paid_at_checkout_paise"] for p in incomplete),
            "paid_later": sum(p["paid_later_paise"] for p in incomplete),
            "outstanding": sum(p["outstanding_paise"] for p in incomplete),
        },
        "average_days_between_visits": gap,
        "top_items": top_items(purchases),
    }


def top_items(purchases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items bought most often (then for the most money), with quantities and amounts."""
    times: Counter[str] = Counter()
    qty: Counter[str] = Counter()
    amount: Counter[str] = Counter()
    names: dict[str, str] = {}
    for purchase in purchases:
        for item in purchase["items"]:
            key = item["item_id"] or f"name:{item['name']}"
            names.setdefault(key, item["name"])
            qty[key] += item["qty_milli"] - item["credited_qty_milli"]
            amount[key] += item["amount_paise"] - item["credited_paise"]
        for key in {i["item_id"] or f"name:{i['name']}" for i in purchase["items"]}:
            times[key] += 1
    ranked = sorted(times, key=lambda k: (-times[k], -amount[k], names[k], k))[:TOP_ITEMS]
    return [
        {
            "item_id": None if k.startswith("name:") else k,
            "name": names[k],
            "purchases": times[k],
            "qty_milli": qty[k],
            "amount_paise": amount[k],
        }
        for k in ranked
    ]


def page_of(
    purchases: list[dict[str, Any]], *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The purchases after `cursor` (newest first), at most `limit`, and the next cursor."""
    rest = purchases
    if cursor is not None:
        after = cursor_key(cursor)
        rest = [p for p in purchases if order_key(p) < after]
    page = rest[:limit]
    more = len(rest) > limit
    return page, encode_cursor([page[-1]["at"], page[-1]["sale_id"]]) if more else None


def cursor_key(cursor: str) -> tuple[datetime, str]:
    """The order key inside a history cursor; BadCursor when it is not one."""
    key = decode_cursor(cursor)
    if len(key) != 2:
        raise BadCursor("not a history cursor")
    try:
        return parse_time(key[0]), key[1]
    except ValueError as exc:
        raise BadCursor("not a history cursor") from exc


async def customer_history(
    couch: Couch, db: str, phone: str, *, limit: int, cursor: str | None = None
) -> dict[str, Any]:
    """The history of the customer with E.164 `phone` in the business database `db`.

    Raises cursors.BadCursor for a cursor this service did not make.
    """
    if cursor is not None:
        cursor_key(cursor)  # refuse a bad cursor before doing any work
    known, docs, seen = await asyncio.gather(
        get_many(couch, db, ["business", f"customer:{phone}"]),
        find_all(couch, db, {"customer_phone": phone, "created_at": {"$gt": None}}, "by-phone"),
        couch.get_doc(ROLLUP_DB, f"cust:{db}:{phone}"),
    )
    docs = [d for d in docs if d.get("type") in ("sale", "invoice")]
    # The index holds CouchDB's winners: a pushed sibling of an invoice can carry another phone.
    # The invoice of each of the customer's invoiced sales is read by id, and every invoice is
    # kept only if its sealed revision names this customer.
    have = {d["_id"] for d in docs}
    invoice_ids = [
        f"invoice:{d['_id'].split(':', 1)[1]}"
        for d in docs
        if d.get("type") == "sale" and d.get("status") == "invoiced"
    ]
    docs += list((await get_many(couch, db, [i for i in invoice_ids if i not in have])).values())
    # Payments are looked up while the invoices' seals are checked (one round trip less); a
    # conflicted sale may settle on an incomplete branch, so its payments are fetched too.
    open_sales = [
        d["_id"] for d in docs if d.get("type") == "sale" and (d.get("status") == "incomplete" or d.get("_conflicts"))
    ]
    note_ids = sorted((seen or {}).get("credit_notes", {}))
    (counted, flagged), (paid_later, flagged_payments), (credits, flagged_notes) = (
        # Only the findings of these docs are read, with their seals (not all of the shop's).
        await asyncio.gather(
            settle(couch, db, docs), later_payments(couch, db, open_sales), credit_notes(couch, db, note_ids)
        )
    )
    counted = [d for d in counted if d.get("customer_phone") == phone]
    purchases = purchases_of(counted, paid_later, credits)
    customer, business = known.get(f"customer:{phone}"), known.get("business")
    page, next_cursor = page_of(purchases, limit=limit, cursor=cursor)
    excluded = sorted(set(flagged) | set(flagged_payments) | set(flagged_notes))
    return {
        "phone": phone,
        "name": (customer or {}).get("name"),
        **summarize(purchases, zone_of(business)),
        "flagged": {"count": len(excluded), "ids": excluded[:100]},
        "purchases": page,
        "next_cursor": next_cursor,
    }
