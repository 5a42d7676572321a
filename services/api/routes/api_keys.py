"""Read-only API keys for integrations (services/identity/api_keys.py): managed only from the active device."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Path, Response
from pydantic import Field

from shopbill.services.api.deps import CouchDep, SmsDep, WriterSession
from shopbill.services.api.documents import StrictBody, not_found
from shopbill.services.identity.accounts import get_account
from shopbill.services.identity.api_keys import create_api_key, list_api_keys, revoke_api_key
from shopbill.services.identity.notices import send_notice

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"])
KeyId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")]


class ApiKeyIn(StrictBody):
    name: str = Field(min_length=1, max_length=60, description='what the key is for, e.g. "Accountant"')


@router.post("", status_code=201)
async def post_api_key(
    body: ApiKeyIn, session: WriterSession, couch: CouchDep, sms: SmsDep, background: BackgroundTasks
) -> dict[str, Any]:
    """Create a read-only key; its text (`key`) is shown this once and never again."""
    key, view = await create_api_key(
        couch, business_id=session["business_id"], account_id=session["account_id"], name=body.name
    )
    account = await get_account(couch, session["account_id"])
    if account is not None:
        background.add_task(
            send_notice, couch, sms, account["phone"], "a read-only API key to your shop's data was created"
        )
    return {**view, "key": key}


@router.get("")
async def get_api_keys(session: WriterSession, couch: CouchDep) -> dict[str, Any]:
    """The business's keys with their last use (revoked ones included, with `revoked_at`)."""
    return {"api_keys": await list_api_keys(couch, business_id=session["business_id"])}


@router.delete("/{key_id}", status_code=204)
async def delete_api_key(key_id: KeyId, session: WriterSession, couch: CouchDep) -> Response:
    """Revoke a key: it fails from the next request on."""
    if not await revoke_api_key(couch, business_id=session["business_id"], key_id=key_id):
        raise not_found("API key")
    return Response(status_code=204)
