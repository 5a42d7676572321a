"""Invoice-number continuity per series and financial year (GSTR-1's documents-issued table)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from shopbill.services.auditor.checks import flag
from shopbill.services.business import now_rfc3339
from shopbill.services.couch import Couch
from shopbill.services.ledger import put_latest

MAX_LISTED_GAPS = 200


def continuity(numbers: list[str]) -> dict[str, dict[str, Any]]:
    """`{"<series>/<FY>": {series, fy, first, last, count, gaps, missing}}` for invoice numbers."""
    counters: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number in numbers:
        series, fy, counter = number.split("/")
        counters[(series, fy)].append(int(counter))
    report = {}
    for (series, fy), values in sorted(counters.items()):
        present = set(values)
        first, last = min(present), max(present)
        gaps = [n for n in range(first, last + 1) if n not in present]
        report[f"{series}/{fy}"] = {"series": series, "fy": fy, "first": first, "last": last,
                                    "count": len(present), "missing": len(gaps),
                                    "gaps": gaps[:MAX_LISTED_GAPS]}
    return report


async def update_series_report(couch: Couch, db: str) -> dict[str, Any]:
    """Recompute the report of `db` from its invoices; flag invoices that reuse a number."""
    response = await couch.request("POST", f"/{db}/_find", json={
        "selector": {"type": "invoice"}, "fields": ["_id", "_rev", "number"],
        "limit": 10_000_000})
    invoices = sorted(response.json()["docs"], key=lambda d: d["_id"])
    seen: dict[str, str] = {}
    for invoice in invoices:
        number = invoice.get("number")
        if not isinstance(number, str) or number.count("/") != 2:
            continue
        if number in seen:
            await flag(couch, db, invoice, invoice["_rev"], "duplicate_number",
                       [{"field": "number", "message": f"also used by {seen[number]}"}])
        else:
            seen[number] = invoice["_id"]
    report = {"db": db, "updated_at": now_rfc3339(), "series": continuity(list(seen))}
    await put_latest(couch, f"series:{db}", report)
    return report
