"""Invoice and credit-note numbers issued by the server, gap-free and exactly once per document.

The server numbers in series of its own (validators/numbering/series.py: invoices
`0S/2627/000001`, credit notes `0C/2627/000001`), in the same `<series>/<FY>/<counter>` format as
the phones (validators/numbering/); this module keeps their counters.

Counters live in the admin-only `svc_counters` db, one doc per business and series:
`{"last": {"2627": 41}, "recent": {"<key>": {"number", "issued_at", "at"}}}`. An allocation is
one revision-checked write that bumps `last` and records which document (`key`, e.g. the sale
uuid) got the number, so two racing requests for the same document get the same number and
issued_at, and a retry after a crash reuses it: numbers are never skipped by races or retries.
`recent` keeps an allocation for KEEP_SECONDS, long after the document itself is written (callers
check for the document before allocating). The FY is that of `issued_at` in the business's time
zone, as validators/checks.py checks it.
"""

from __future__ import annotations

import time
from typing import Any

from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.localtime import business_zone
from shopbill.services.core.names import COUNTERS_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict
from shopbill.validators.numbering import financial_year, format_invoice_number

KEEP_SECONDS = 24 * 3600


def counter_id(db: str, series: str) -> str:
    """The id of the counter doc of `series` in business database `db`."""
    return f"counter:{db}:{series}"


async def allocate_number(couch: Couch, *, db: str, series: str, key: str) -> tuple[str, str]:
    """The (number, issued_at) of document `key` in `series`: allocated once, then remembered."""
    doc_id = counter_id(db, series)
    zone = None
    while True:
        doc: dict[str, Any] = await couch.get_doc(COUNTERS_DB, doc_id) or {"_id": doc_id, "last": {}, "recent": {}}
        known = doc["recent"].get(key)
        if known is not None:
            return known["number"], known["issued_at"]
        zone = zone or await business_zone(couch, db)
        issued_at = now_rfc3339()
        fy = financial_year(issued_at, zone)
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
