"""Incomplete sales with money still owed, newest first, read live through the `by-status` index.

outstanding = total − paid at checkout − later payments; sales paid off by later payments (but
not invoiced yet) are not listed. Pages follow the index order (created_at, then id, both
descending), so a cursor never skips or repeats a sale.
"""

from __future__ import annotations

from typing import Any

from shopbill.services.couch import Couch
from shopbill.services.errors import BadCursor
from shopbill.services.integrity.trusted import Doc, load_findings, settle
from shopbill.services.reporting.cursors import decode_cursor, encode_cursor
from shopbill.services.reporting.history import later_payments

INDEX = "shopbill-by-status"


async def _newest(couch: Couch, db: str, before: tuple[str, str] | None, count: int) -> list[Doc]:
    bound = {"$lte": before[0]} if before else {"$gt": None}
    response = await couch.request(
        "POST",
        f"/{db}/_find",
        json={
            "selector": {"type": "sale", "status": "incomplete", "created_at": bound},
            "sort": [{"type": "desc"}, {"status": "desc"}, {"created_at": "desc"}],
            "use_index": INDEX,
            "limit": count,
            "conflicts": True,
        },
    )
    docs = response.json()["docs"]
    docs.sort(key=lambda d: (d["created_at"], d["_id"]), reverse=True)
    return [d for d in docs if before is None or (d["created_at"], d["_id"]) < before]


def cursor_bound(cursor: str | None) -> tuple[str, str] | None:
    """The (created_at, id) inside a dues cursor; BadCursor when it is not one."""
    if cursor is None:
        return None
    key = decode_cursor(cursor)
    if len(key) != 2:
        raise BadCursor("not a cursor of this list")
    return key[0], key[1]


async def incomplete_sales(couch: Couch, db: str, *, limit: int, cursor: str | None = None) -> dict[str, Any]:
    """A page of incomplete sales with an outstanding amount, newest first."""
    before = cursor_bound(cursor)
    findings = await load_findings(couch, db)
    page: list[dict[str, Any]] = []
    flagged: list[str] = []
    batch = limit * 2 + 10
    while len(page) <= limit:
        docs = await _newest(couch, db, before, batch)
        if not docs:
            break
        sales, left_out = await settle(couch, db, docs, findings)
        flagged += left_out
        paid, left_out = await later_payments(couch, db, [s["_id"] for s in sales], findings)
        flagged += left_out
        for sale in sales:
            if sale.get("status") == "incomplete":
                row = _due(sale, paid.get(sale["_id"], 0))
                if row["outstanding_paise"] > 0:
                    page.append(row)
        before = (docs[-1]["created_at"], docs[-1]["_id"])
    page.sort(key=lambda r: (r["at"], r["sale_id"]), reverse=True)
    more = len(page) > limit
    page = page[:limit]
    return {
        "sales": page,
        "flagged": {"count": len(flagged), "ids": sorted(flagged)[:100]},
        "next_cursor": encode_cursor([page[-1]["at"], page[-1]["sale_id"]]) if more else None,
    }


def _due(sale: Doc, later: int) -> dict[str, Any]:
    total, at_checkout = int(sale["total_paise"]), int(sale["paid_paise"])
    return {
        "sale_id": sale["_id"],
        "at": sale["created_at"],
        "customer_phone": sale["customer_phone"],
        "total_paise": total,
        "paid_at_checkout_paise": at_checkout,
        "paid_later_paise": later,
        "outstanding_paise": max(0, total - at_checkout - later),
    }
