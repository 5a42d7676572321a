"""Invoice and credit-note numbers issued by the server, gap-free and exactly once per document.

The server has series of its own, in the same `<series>/<FY>/<counter>` format as the phones
(validators/numbering.py). Device series are the base-36 login generation without a leading zero
(services/identity/devices.py `invoice_series`, generation >= 1), so series starting with "0" can never
collide with a phone's: invoices `0S/2627/000001`, credit notes `0C/2627/000001`.

Counters live in the admin-only `svc_counters` db, one doc per business and series:
`{"last": {"2627": 41}, "recent": {"<key>": {"number", "issued_at", "at"}}}`. An allocation is
one revision-checked write that bumps `last` and records which document (`key`, e.g. the sale
uuid) got the number, so two racing requests for the same document get the same number and
issued_at, and a retry after a crash reuses it: numbers are never skipped by races or retries.
`recent` keeps an allocation for KEEP_SECONDS, long after the document itself is written (callers
check for the document before allocating). The FY is the Indian one (Asia/Kolkata), the same
clock validators/checks.py uses to check the number against `issued_at`.
"""

from __future__ import annotations

import time
from typing import Any

from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.names import COUNTERS_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict
from shopbill.validators.numbering import DEFAULT_TIME_ZONE, financial_year, format_invoice_number

INVOICE_SERIES = "0S"
CREDIT_NOTE_SERIES = "0C"
KEEP_SECONDS = 24 * 3600


def counter_id(db: str, series: str) -> str:
    return f"counter:{db}:{series}"


async def allocate_number(couch: Couch, *, db: str, series: str, key: str) -> tuple[str, str]:
    """The (number, issued_at) of document `key` in `series`: allocated once, then remembered."""
    doc_id = counter_id(db, series)
    while True:
        doc: dict[str, Any] = await couch.get_doc(COUNTERS_DB, doc_id) or {"_id": doc_id, "last": {}, "recent": {}}
        known = doc["recent"].get(key)
        if known is not None:
            return known["number"], known["issued_at"]
        issued_at = now_rfc3339()
        fy = financial_year(issued_at, DEFAULT_TIME_ZONE)
        counter = int(doc["last"].get(fy, 0)) + 1
        number = format_invoice_number(series, fy, counter)
        now = time.time()
        doc["last"][fy] = counter
        doc["recent"] = {k: v for k, v in doc["recent"].items() if now - v["at"] < KEEP_SECONDS}
        doc["recent"][key] = {"number": number, "issued_at": issued_at, "at": now}
        try:
            await couch.put_doc(COUNTERS_DB, doc)
        except Conflict:
            continue  # another allocation landed first: read again (maybe it was ours)
        return number, issued_at
