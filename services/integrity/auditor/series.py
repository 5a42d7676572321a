"""Invoice-number continuity per series and financial year (GSTR-1's documents-issued table).

Kept incrementally: each batch of the auditor costs O(its invoices), not a read of every invoice
of the shop (that scan took seconds per batch at 100,000 invoices).
- A number is claimed in the ledger by the first invoice seen with it (`number:<db>:<number>`,
  first writer wins; in a batch, lowest id first). Another invoice with that number is flagged
  `duplicate_number` and left out of the report.
- A number in a server series (`0S`, `0C`) above what the server's counter (`svc_counters`) ever
  issued was written by someone else (a phone): flagged `forged_number`, left out of the report.
  The counter is bumped before the server writes its document, so the server's own never are.
  Credit notes get the same check (the worker calls `without_forged_server_numbers` for them).
- `series:<db>` holds the report and, under `ranges`, the counters present per series/FY as
  sorted disjoint [first, last] ranges; a batch merges its counters into them.
A report written before the ranges existed is rebuilt once from every invoice (`rebuild`).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from shopbill.services.billing.numbering_server import counter_id
from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.names import COUNTERS_DB, LEDGER_DB
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.checks import flag
from shopbill.services.integrity.ledger import put_latest
from shopbill.validators.numbering import is_server_series

MAX_LISTED_GAPS = 200
Ranges = list[list[int]]


def parse_number(number: Any) -> tuple[str, int] | None:
    """("<series>/<FY>", counter) of an invoice number, or None when it is not one."""
    if not isinstance(number, str) or number.count("/") != 2:
        return None
    series, fy, counter = number.split("/")
    return (f"{series}/{fy}", int(counter)) if counter.isdigit() else None


def add_counters(ranges: Ranges, counters: list[int]) -> Ranges:
    """`ranges` (sorted, disjoint, inclusive) with `counters` added, adjacent ranges joined."""
    merged: Ranges = []
    for first, last in sorted([*map(list, ranges), *([c, c] for c in counters)]):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return merged


def summary(key: str, ranges: Ranges) -> dict[str, Any]:
    """The report entry {series, fy, first, last, count, missing, gaps} of one series/FY."""
    series, fy = key.split("/")
    first, last = ranges[0][0], ranges[-1][1]
    count = sum(b - a + 1 for a, b in ranges)
    gaps: list[int] = []
    for (_, end), (start, _) in pairwise(ranges):
        gaps += range(end + 1, min(start, end + 1 + MAX_LISTED_GAPS - len(gaps)))
        if len(gaps) >= MAX_LISTED_GAPS:
            break
    return {
        "series": series,
        "fy": fy,
        "first": first,
        "last": last,
        "count": count,
        "missing": last - first + 1 - count,
        "gaps": gaps,
    }


def continuity(numbers: list[str]) -> dict[str, dict[str, Any]]:
    """`{"<series>/<FY>": {series, fy, first, last, count, gaps, missing}}` for invoice numbers."""
    counters: dict[str, list[int]] = defaultdict(list)
    for parsed in filter(None, map(parse_number, numbers)):
        counters[parsed[0]].append(parsed[1])
    return {key: summary(key, add_counters([], values)) for key, values in sorted(counters.items())}


async def claim_numbers(couch: Couch, db: str, invoices: list[dict[str, Any]]) -> dict[str, str]:
    """{number: id of the invoice that holds it} for the numbers of `invoices` (claimed now by
    the lowest id of the batch, unless an earlier invoice holds it already)."""
    first: dict[str, str] = {}
    for invoice in sorted(invoices, key=lambda d: d["_id"]):
        first.setdefault(invoice["number"], invoice["_id"])
    claims = [{"_id": f"number:{db}:{number}", "invoice_id": invoice_id} for number, invoice_id in first.items()]
    owners = dict(first)
    for i in range(0, len(claims), 5000):
        rows = (await couch.request("POST", f"/{LEDGER_DB}/_bulk_docs", json={"docs": claims[i : i + 5000]})).json()
        taken = [claim["_id"] for claim, row in zip(claims[i : i + 5000], rows) if not row.get("ok")]
        if taken:
            held = (
                await couch.request(
                    "POST", f"/{LEDGER_DB}/_all_docs", json={"keys": taken}, params={"include_docs": "true"}
                )
            ).json()["rows"]
            for row in held:
                if row.get("doc"):
                    owners[row["id"].removeprefix(f"number:{db}:")] = row["doc"]["invoice_id"]
    return owners


async def update_series_report(couch: Couch, db: str, invoices: list[dict[str, Any]]) -> dict[str, Any]:
    """Fold a batch of invoices (winning revisions) into the report of `db`; flag invoices that
    reuse a number. Replaying a batch changes nothing."""
    current = await couch.get_doc(LEDGER_DB, f"series:{db}")
    if current is not None and "ranges" not in current:
        return await rebuild(couch, db)
    numbered = [d for d in invoices if parse_number(d.get("number"))]
    numbered = await without_forged_server_numbers(couch, db, numbered)
    owners = await claim_numbers(couch, db, numbered)
    counters: dict[str, list[int]] = defaultdict(list)
    for invoice in numbered:
        if owners[invoice["number"]] != invoice["_id"]:
            await flag(
                couch,
                db,
                invoice,
                invoice["_rev"],
                "duplicate_number",
                [{"field": "number", "message": f"also used by {owners[invoice['number']]}"}],
            )
        else:
            key, counter = parse_number(invoice["number"])  # type: ignore[misc]
            counters[key].append(counter)
    ranges = dict((current or {}).get("ranges", {}))
    for key, values in counters.items():
        ranges[key] = add_counters(ranges.get(key, []), values)
    return await _write(couch, db, ranges)


async def without_forged_server_numbers(couch: Couch, db: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`docs` (invoices or credit notes with a number) less those numbered in a server series
    beyond the server's counter, which are flagged `forged_number`."""
    issued: dict[str, dict[str, Any]] = {}  # series -> the server's last counter per FY
    kept = []
    for invoice in docs:
        series, fy, counter = invoice["number"].split("/")
        if is_server_series(series):
            if series not in issued:
                issued[series] = ((await couch.get_doc(COUNTERS_DB, counter_id(db, series))) or {}).get("last", {})
            if int(counter) > int(issued[series].get(fy, 0)):
                problem = {"field": "number", "message": f"the server never issued this number in its series {series}"}
                await flag(couch, db, invoice, invoice["_rev"], "forged_number", [problem])
                continue
        kept.append(invoice)
    return kept


async def rebuild(couch: Couch, db: str) -> dict[str, Any]:
    """The report of `db` from every invoice (claiming their numbers, lowest id first)."""
    response = await couch.request(
        "POST",
        f"/{db}/_find",
        json={"selector": {"type": "invoice"}, "fields": ["_id", "_rev", "number"], "limit": 10_000_000},
    )
    await put_latest(couch, f"series:{db}", {"db": db, "ranges": {}, "series": {}})
    return await update_series_report(couch, db, response.json()["docs"])


async def _write(couch: Couch, db: str, ranges: dict[str, Ranges]) -> dict[str, Any]:
    report = {
        "db": db,
        "updated_at": now_rfc3339(),
        "series": {key: summary(key, ranges[key]) for key in sorted(ranges)},
        "ranges": ranges,
    }
    await put_latest(couch, f"series:{db}", report)
    return report
