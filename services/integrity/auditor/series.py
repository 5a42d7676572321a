"""Invoice and credit-note number continuity per series and financial year (GSTR-1's
documents-issued table), kept in the ledger; the arithmetic of the report is
validators/numbering/continuity.py. Credit notes have series of their own (the server's `0C`, a
phone's `C` + 3 characters: validators/numbering/series.py), so a series holds one kind of
document, and an invoice and a credit note never share a number.

Kept incrementally: each batch of the auditor costs O(its invoices), not a read of every invoice
of the shop (that scan took seconds per batch at 100,000 invoices).
- A number is claimed in the ledger by the first document seen with it (`number:<db>:<number>`,
  first writer wins; in a batch, lowest id first). Another one with that number is flagged
  `duplicate_number` and left out of the report.
- A number in a server series (`0S`, `0C`) above what the server's counter (`svc_counters`) ever
  issued was written by someone else (a phone): flagged `forged_number`, left out of the report.
  The counter is bumped before the server writes its document, so the server's own never are.
- `series:<db>` holds the report and, under `ranges`, the counters present per series/FY as
  sorted disjoint [first, last] ranges; a batch merges its counters into them.
A report written before the ranges existed, or before credit notes were counted (its `documents`
are not NUMBERED_TYPES), is rebuilt once from every invoice and credit note (`rebuild`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from shopbill.services.billing.numbering_server import counter_id
from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.names import COUNTERS_DB, LEDGER_DB
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.checks import flag
from shopbill.services.integrity.ledger import put_latest
from shopbill.validators.numbering import NUMBERED_TYPES, is_server_series
from shopbill.validators.numbering.continuity import Ranges, add_counters, series_key, summary


async def claim_numbers(couch: Couch, db: str, docs: list[dict[str, Any]]) -> dict[str, str]:
    """{number: id of the document that holds it} for the numbers of `docs` (claimed now by the
    lowest id of the batch, unless an earlier document holds it already). A claim names its holder
    `invoice_id` whatever its type: the field of the claims written before credit notes counted."""
    first: dict[str, str] = {}
    for doc in sorted(docs, key=lambda d: d["_id"]):
        first.setdefault(doc["number"], doc["_id"])
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


async def update_series_report(couch: Couch, db: str, docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Fold a batch of invoices and credit notes (winning revisions) into the report of `db`; flag
    those that reuse a number. Replaying a batch changes nothing."""
    current = await couch.get_doc(LEDGER_DB, f"series:{db}")
    if current is not None and ("ranges" not in current or current.get("documents") != list(NUMBERED_TYPES)):
        return await rebuild(couch, db)
    numbered = [d for d in docs if series_key(d.get("number"))]
    numbered = await without_forged_server_numbers(couch, db, numbered)
    owners = await claim_numbers(couch, db, numbered)
    counters: dict[str, list[int]] = defaultdict(list)
    for doc in numbered:
        if owners[doc["number"]] != doc["_id"]:
            await flag(
                couch,
                db,
                doc,
                doc["_rev"],
                "duplicate_number",
                [{"field": "number", "message": f"also used by {owners[doc['number']]}"}],
            )
        else:
            key, counter = series_key(doc["number"])  # type: ignore[misc]
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
    """The report of `db` from every invoice and credit note (claiming their numbers, lowest id first)."""
    response = await couch.request(
        "POST",
        f"/{db}/_find",
        json={
            "selector": {"type": {"$in": list(NUMBERED_TYPES)}},
            "fields": ["_id", "_rev", "number"],
            "limit": 10_000_000,
        },
    )
    await put_latest(couch, f"series:{db}", {"db": db, "documents": list(NUMBERED_TYPES), "ranges": {}, "series": {}})
    return await update_series_report(couch, db, response.json()["docs"])


async def _write(couch: Couch, db: str, ranges: dict[str, Ranges]) -> dict[str, Any]:
    report = {
        "db": db,
        "documents": list(NUMBERED_TYPES),
        "updated_at": now_rfc3339(),
        "series": {key: summary(key, ranges[key]) for key in sorted(ranges)},
        "ranges": ranges,
    }
    await put_latest(couch, f"series:{db}", report)
    return report
