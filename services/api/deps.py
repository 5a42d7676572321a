"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shopbill.services.api.errors import ApiError
from shopbill.services.api.state import ServerState
from shopbill.services.identity.api_keys import authenticate_api_key, is_api_key
from shopbill.services.core.config import Settings
from shopbill.services.couch import Couch
from shopbill.services.identity.devices import TokenRejected, authenticate, touch_session
from shopbill.services.identity.sms import SmsSender

_bearer = HTTPBearer(auto_error=False)


def get_state(request: Request) -> ServerState:
    return request.app.state.server


def get_settings(request: Request) -> Settings:
    return request.app.state.server.settings


async def get_couch(request: Request) -> Couch:
    """The CouchDB client; while start-up provisioning has not succeeded, it is retried first."""
    state: ServerState = request.app.state.server
    if not state.provisioned:
        await state.refresh()
    return state.couch


def get_sms(request: Request) -> SmsSender:
    return request.app.state.sms


def client_ip(request: Request) -> str:
    """The caller's address (behind the production proxy, uvicorn's --proxy-headers sets it)."""
    return request.client.host if request.client else "unknown"


async def current_session(
    couch: Annotated[Couch, Depends(get_couch)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> dict[str, Any]:
    """The active device session of the bearer access token, or 401 saying why not."""
    if credentials is None:
        raise ApiError(401, "not_authenticated", "an access token is required",
                       headers={"WWW-Authenticate": "Bearer"})
    try:
        session = await authenticate(couch, settings, credentials.credentials)
    except TokenRejected as exc:
        raise ApiError(401, exc.code, "the access token cannot be used",
                       headers={"WWW-Authenticate": "Bearer"}) from exc
    await touch_session(couch, session)
    return session


StateDep = Annotated[ServerState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CouchDep = Annotated[Couch, Depends(get_couch)]
SmsDep = Annotated[SmsSender, Depends(get_sms)]
ClientIp = Annotated[str, Depends(client_ip)]
CurrentSession = Annotated[dict[str, Any], Depends(current_session)]


async def reader_session(
    couch: Annotated[Couch, Depends(get_couch)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> dict[str, Any]:
    """For GET endpoints: the device session, or a read-only API key (`read_only: True`)."""
    if credentials is not None and is_api_key(credentials.credentials):
        reader = await authenticate_api_key(couch, credentials.credentials)
        if reader is None:
            raise ApiError(401, "invalid_api_key", "the API key is unknown or revoked",
                           headers={"WWW-Authenticate": "Bearer"})
        return reader
    return await current_session(couch, settings, credentials)


async def writer_session(
    couch: Annotated[Couch, Depends(get_couch)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> dict[str, Any]:
    """For writes: only the active device. An API key is refused before anything is read."""
    if credentials is not None and is_api_key(credentials.credentials):
        raise ApiError(403, "read_only_key", "an API key can only read (GET)")
    return await current_session(couch, settings, credentials)


ReaderSession = Annotated[dict[str, Any], Depends(reader_session)]
WriterSession = Annotated[dict[str, Any], Depends(writer_session)]
