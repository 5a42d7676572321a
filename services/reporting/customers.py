"""The customers a shop has seen: phone, name, visits and last visit, searchable by digits or name.

Read from the auditor's `cust:` roll-ups (services/reporting/rollups.py): one small doc per customer, so
the list does not scan every sale. Visits are distinct days in the business's time zone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from shopbill.services.core.localtime import business_zone, local_day
from shopbill.services.core.names import ROLLUP_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import BadCursor
from shopbill.services.reporting.cursors import decode_cursor, encode_cursor


def matches(customer: dict[str, Any], query: str) -> bool:
    """Digits match anywhere in the phone; other text matches the name, ignoring case."""
    digits = re.sub(r"\D", "", query)
    if digits and digits == re.sub(r"[\s()+-]", "", query):
        return digits in customer["phone"]
    return query.casefold() in (customer["name"] or "").casefold()


async def list_customers(
    couch: Couch, db: str, *, query: str | None, limit: int, cursor: str | None = None
) -> dict[str, Any]:
    """A page of customers, most recent visit first (then by phone)."""
    after = decode_cursor(cursor) if cursor is not None else None
    if after is not None and len(after) != 2:
        raise BadCursor("not a cursor of this list")
    zone = await business_zone(couch, db)
    rows = await couch.all_docs(ROLLUP_DB, startkey=json.dumps(f"cust:{db}:"), endkey=json.dumps(f"cust:{db}:\uffff"))
    customers = []
    for row in rows:
        days = sorted({local_day(at, zone) for at in row.get("sales", {}).values()})
        customers.append(
            {
                "phone": row["_id"].split(":", 2)[2],
                "name": row.get("name"),
                "visits": len(days),
                "last_visit": days[-1].isoformat() if days else None,
            }
        )
    if query:
        customers = [c for c in customers if matches(c, query.strip())]
    customers.sort(key=lambda c: (c["last_visit"] or "", c["phone"]), reverse=True)
    if after is not None:
        customers = [c for c in customers if (c["last_visit"] or "", c["phone"]) < tuple(after)]
    page = customers[:limit]
    more = len(customers) > limit
    return {
        "customers": page,
        "next_cursor": encode_cursor([page[-1]["last_visit"] or "", page[-1]["phone"]]) if more else None,
    }
