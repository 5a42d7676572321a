"""Items: list (name search, group and archived filters), get, create, update with revision, delete."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import Field

from shopbill.services.api.deps import CouchDep, ReaderSession, WriterSession
from shopbill.services.api.documents import (
    UUID_PATTERN,
    After,
    Limit,
    Rev,
    StrictBody,
    Uuid,
    db_of,
    live_or_404,
    page,
)
from shopbill.services.billing.catalog import check_group, list_catalog
from shopbill.services.billing.server_docs import create_doc, delete_doc, new_doc, update_doc

router = APIRouter(prefix="/v1/items", tags=["catalogue"])
GROUP_ID = r"^group:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class ItemIn(StrictBody):
    id: str | None = Field(None, pattern=UUID_PATTERN, description="a client-made uuid (optional)")
    name: str
    group_id: str = Field(description="`group:<uuid>` of a live group")
    unit_price_paise: int = Field(description="integer paise")
    price_includes_gst: bool = True
    unit: str = "pcs"
    sku: str | None = None
    barcode: str | None = None
    hsn: str | None = None
    gst_rate_bp: int = Field(description="GST rate in basis points: 0, 25, 300, 500, 1200, 1800, 2800, 4000")
    archived: bool = False


class ItemPatch(StrictBody):
    rev: str = Field(description="the `_rev` you read; a stale one is answered 409")
    name: str | None = None
    group_id: str | None = None
    unit_price_paise: int | None = None
    price_includes_gst: bool | None = None
    unit: str | None = None
    sku: str | None = Field(None, description='"" removes it')
    barcode: str | None = Field(None, description='"" removes it')
    hsn: str | None = Field(None, description='"" removes it')
    gst_rate_bp: int | None = None
    archived: bool | None = None


@router.get("")
async def list_items(
    session: ReaderSession,
    couch: CouchDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    group_id: Annotated[str | None, Query(pattern=GROUP_ID)] = None,
    archived: bool | None = None,
    after: After = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """Items in id order; `q` matches part of the name (any case, any script)."""
    docs, cursor = await list_catalog(
        couch, db_of(session), "item", q=q, group_id=group_id, archived=archived, after=after, limit=limit
    )
    return page("items", docs, cursor)


@router.get("/{item_uuid}")
async def get_item(item_uuid: Uuid, session: ReaderSession, couch: CouchDep) -> dict[str, Any]:
    return await live_or_404(couch, db_of(session), "item", item_uuid)


@router.post("", status_code=201)
async def create_item(body: ItemIn, session: WriterSession, couch: CouchDep) -> dict[str, Any]:
    """Create an item in a live group (`id` optional; an id in use is 409 `already_exists`)."""
    db = db_of(session)
    fields = body.model_dump(exclude={"id"}, exclude_none=True)
    doc = new_doc("item", f"item:{body.id or uuid.uuid4()}", fields)
    await check_group(couch, db, body.group_id)
    return await create_doc(couch, db, doc)


@router.patch("/{item_uuid}")
async def update_item(item_uuid: Uuid, body: ItemPatch, session: WriterSession, couch: CouchDep) -> dict[str, Any]:
    """Change fields of the revision `rev` (prices apply to later sales only)."""
    db = db_of(session)
    current = await live_or_404(couch, db, "item", item_uuid)
    changes: dict[str, Any] = body.model_dump(exclude={"rev"}, exclude_none=True)
    for optional in ("sku", "barcode", "hsn"):
        if changes.get(optional) == "":
            changes[optional] = None  # update_doc drops None fields
    if "group_id" in changes and changes["group_id"] != current["group_id"]:
        await check_group(couch, db, changes["group_id"])
    return await update_doc(couch, db, current, body.rev, changes)


@router.delete("/{item_uuid}", status_code=204)
async def delete_item(item_uuid: Uuid, rev: Rev, session: WriterSession, couch: CouchDep) -> Response:
    """Delete an item (sales and invoices keep their own copy of its name and price)."""
    db = db_of(session)
    current = await live_or_404(couch, db, "item", item_uuid)
    await delete_doc(couch, db, current, rev)
    return Response(status_code=204)
