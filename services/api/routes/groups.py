"""Item groups: list (name search, archived filter), get, create, update with revision, delete."""

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
from shopbill.services.api.errors import ApiError
from shopbill.services.billing.catalog import group_has_items, list_catalog
from shopbill.services.billing.server_docs import create_doc, delete_doc, new_doc, update_doc

router = APIRouter(prefix="/v1/groups", tags=["catalogue"])


class GroupIn(StrictBody):
    id: str | None = Field(
        None, pattern=UUID_PATTERN, description="a client-made uuid (optional; a second create is 409)"
    )
    name: str
    position: int = 0
    archived: bool = False


class GroupPatch(StrictBody):
    rev: str = Field(description="the `_rev` you read; a stale one is answered 409")
    name: str | None = None
    position: int | None = None
    archived: bool | None = None


@router.get("")
async def list_groups(
    session: ReaderSession,
    couch: CouchDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    archived: bool | None = None,
    after: After = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """Groups in id order; `q` matches part of the name (any case), `archived` filters."""
    docs, cursor = await list_catalog(couch, db_of(session), "group", q=q, archived=archived, after=after, limit=limit)
    return page("groups", docs, cursor)


@router.get("/{group_uuid}")
async def get_group(group_uuid: Uuid, session: ReaderSession, couch: CouchDep) -> dict[str, Any]:
    return await live_or_404(couch, db_of(session), "group", group_uuid)


@router.post("", status_code=201)
async def create_group(body: GroupIn, session: WriterSession, couch: CouchDep) -> dict[str, Any]:
    """Create a group (`id` optional; an id in use is 409 `already_exists`)."""
    fields = body.model_dump(exclude={"id"})
    doc = new_doc("group", f"group:{body.id or uuid.uuid4()}", fields)
    return await create_doc(couch, db_of(session), doc)


@router.patch("/{group_uuid}")
async def update_group(group_uuid: Uuid, body: GroupPatch, session: WriterSession, couch: CouchDep) -> dict[str, Any]:
    """Change the name, position or archived flag of the revision `rev`."""
    db = db_of(session)
    current = await live_or_404(couch, db, "group", group_uuid)
    changes = body.model_dump(exclude={"rev"}, exclude_none=True)
    return await update_doc(couch, db, current, body.rev, changes)


@router.delete("/{group_uuid}", status_code=204)
async def delete_group(group_uuid: Uuid, rev: Rev, session: WriterSession, couch: CouchDep) -> Response:
    """Delete an empty group; a group with items is archived instead (409 `group_not_empty`)."""
    db = db_of(session)
    current = await live_or_404(couch, db, "group", group_uuid)
    if await group_has_items(couch, db, current["_id"]):
        raise ApiError(409, "group_not_empty", "items belong to this group: move them or archive it")
    await delete_doc(couch, db, current, rev)
    return Response(status_code=204)
