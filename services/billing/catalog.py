"""The shop's catalogue over REST: item groups and items (`group:<uuid>`, `item:<uuid>`).

Rules beyond the schema: an item belongs to an existing group; a group is deleted only when no
item (archived or not) belongs to it, otherwise it is archived; items are deleted freely, since
sales and invoices keep their own snapshot of every line. Name search is case-insensitive
substring matching done here (Mango's `$regex` works on bytes and has no portable ignore-case).
"""

from __future__ import annotations

from typing import Any

from shopbill.services.billing.server_docs import find_page
from shopbill.services.couch import Couch
from shopbill.services.errors import DocumentInvalid

SCAN_BATCH = 500


def matches_name(doc: dict[str, Any], q: str | None) -> bool:
    """True when `q` is absent or a case-insensitive part of the doc's name."""
    return q is None or q.casefold() in str(doc.get("name", "")).casefold()


async def list_catalog(
    couch: Couch,
    db: str,
    doc_type: str,
    *,
    q: str | None = None,
    group_id: str | None = None,
    archived: bool | None = None,
    after: str | None = None,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of groups or items in id order, and the cursor of the next page (None at the end)."""
    selector: dict[str, Any] = {"type": doc_type}
    if group_id is not None:
        selector["group_id"] = group_id
    if archived is not None:
        selector["archived"] = archived
    found: list[dict[str, Any]] = []
    cursor = after
    while True:
        batch = await find_page(couch, db, doc_type, selector, after=cursor, limit=SCAN_BATCH)
        for doc in batch:
            cursor = doc["_id"]
            if matches_name(doc, q):
                found.append(doc)
                if len(found) == limit:
                    return found, cursor
        if len(batch) < SCAN_BATCH:
            return found, None


async def check_group(couch: Couch, db: str, group_id: str, field: str = "group_id") -> None:
    """An item may only name a live, not archived group."""
    group = await couch.get_doc(db, group_id)
    if group is None or group.get("type") != "group":
        raise DocumentInvalid([{"field": field, "message": "no such group"}])
    if group.get("archived"):
        raise DocumentInvalid([{"field": field, "message": "the group is archived"}])


async def group_has_items(couch: Couch, db: str, group_id: str) -> bool:
    """True when at least one item (archived or not) belongs to the group."""
    return bool(await find_page(couch, db, "item", {"type": "item", "group_id": group_id}, after=None, limit=1))
