"""Tax records kept after an account is closed (CGST Act s.36: 72 months), in `svc_archive`.

When an owner deletes the account, issued invoices and credit notes move here (admin-only); the
rest of the business's data is erased. `purge_expired` deletes records whose period has ended.
Run it daily: `python -m shopbill.services.ops.archive purge`.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from typing import Any

from shopbill.services.core import clock
from shopbill.services.core.config import load_settings
from shopbill.services.core.names import ARCHIVE_DB
from shopbill.services.couch import Couch

TAX_RECORD_TYPES = ("invoice", "credit_note")
RETENTION_YEARS = 6  # 72 months


def retain_until(issued_at: str) -> str:
    """The last day a record issued at `issued_at` (RFC 3339) must be kept: 72 months later."""
    issued = clock.parse_time(issued_at).date()
    try:
        end = issued.replace(year=issued.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        end = issued.replace(year=issued.year + RETENTION_YEARS, day=28)
    return end.isoformat()


async def archive_tax_records(couch: Couch, *, business_id: str, docs: list[dict[str, Any]]) -> int:
    """Copy the business's invoices and credit notes into the archive; return how many."""
    records = [d for d in docs if d.get("type") in TAX_RECORD_TYPES]
    rows = [
        {
            "_id": f"{business_id}:{d['_id']}",
            "business_id": business_id,
            "retain_until": retain_until(d.get("issued_at") or d["created_at"]),
            "doc": {k: v for k, v in d.items() if k != "_rev"},
        }
        for d in records
    ]
    if rows:
        # Idempotent: a retried deletion meets its own earlier copies (409) and carries on.
        await couch.request("POST", f"/{ARCHIVE_DB}/_bulk_docs", json={"docs": rows})
    return len(rows)


async def archived_records(couch: Couch, business_id: str) -> list[dict[str, Any]]:
    """The archived records of a business (each with `retain_until` and the original `doc`)."""
    return await couch.all_docs(ARCHIVE_DB, startkey=f'"{business_id}:"', endkey=f'"{business_id}:\uffff"')


async def purge_expired(couch: Couch, *, today: date | None = None) -> int:
    """Delete archived records whose retention period has ended; return how many."""
    today = today or clock.now().date()
    expired = [
        d
        for d in await couch.all_docs(ARCHIVE_DB)
        if not d["_id"].startswith("_design/") and d["retain_until"] < today.isoformat()
    ]
    for doc in expired:
        await couch.delete_doc(ARCHIVE_DB, doc)
    return len(expired)


async def _main() -> int:
    couch = Couch(load_settings())
    try:
        print(f"purged {await purge_expired(couch)} archived tax records past retention")
    finally:
        await couch.aclose()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["purge"]:
        sys.exit("usage: python -m shopbill.services.ops.archive purge")
    sys.exit(asyncio.run(_main()))
