"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shopbill.services.api.errors import ApiError
from shopbill.services.api.state import ServerState
from shopbill.services.core.config import Settings
from shopbill.services.core.names import shop_db
from shopbill.services.core.netaddr import is_trusted, parse_networks
from shopbill.services.couch import Couch, WriteGuard, write_guard
from shopbill.services.errors import TokenRejected
from shopbill.services.identity.api_keys import authenticate_api_key, is_api_key
from shopbill.services.identity.devices import authenticate, check_current, get_session, touch_session
from shopbill.services.identity.sms import SmsSender

_bearer = HTTPBearer(auto_error=False)


def get_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


def get_settings(request: Request) -> Settings:
    return get_state(request).settings


async def get_couch(request: Request) -> Couch:
    """The CouchDB client; while start-up provisioning has not succeeded, it is retried first."""
    state: ServerState = request.app.state.server
    if not state.provisioned:
        await state.refresh()
    return state.couch


def get_sms(request: Request) -> SmsSender:
    sms: SmsSender = request.app.state.sms
    return sms


def client_ip(request: Request) -> str:
    """The caller's address, for per-IP caps: the TCP peer, unless the peer is a trusted proxy
    (FORWARDED_ALLOW_IPS); then the nearest address in X-Forwarded-For that is not a trusted
    proxy (entries further left were written by the client and prove nothing)."""
    peer = request.client.host if request.client else "unknown"
    trusted = parse_networks(request.app.state.server.settings.forwarded_allow_ips)
    if not is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",")]
    for hop in reversed([h for h in hops if h]):
        if not is_trusted(hop, trusted):
            return hop
    return peer


async def current_session(
    couch: Annotated[Couch, Depends(get_couch)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> dict[str, Any]:
    """The active device session of the bearer access token, or 401 saying why not."""
    if credentials is None:
        raise ApiError(401, "not_authenticated", "an access token is required", headers={"WWW-Authenticate": "Bearer"})
    session = await authenticate(couch, settings, credentials.credentials)  # TokenRejected: the table's 401
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
            raise ApiError(
                401, "invalid_api_key", "the API key is unknown or revoked", headers={"WWW-Authenticate": "Bearer"}
            )
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
    session = await current_session(couch, settings, credentials)
    write_guard.set(_session_still_current(couch, session))
    return session


READ_ONLY_POSTS = ("/_find", "/_all_docs", "/_explain")


def _session_still_current(couch: Couch, session: dict[str, Any]) -> WriteGuard:
    """A guard that re-reads the device session right before each write to the shop's database.

    The session was checked when the request arrived; a login on another device may answer
    while this request is still working. Checking again at the write means that a write which
    starts after the new login was answered is refused (401 `device_replaced`)."""
    db_path = f"/{shop_db(session['business_id'])}"

    async def guard(method: str, path: str) -> None:
        if not (path == db_path or path.startswith(db_path + "/")):
            return
        if method == "POST" and path.endswith(READ_ONLY_POSTS):
            return
        try:
            check_current(await get_session(couch, session["account_id"]), {"gen": session["generation"]})
        except TokenRejected as exc:
            raise ApiError(
                401,
                exc.code,
                "this device was replaced while the request ran; nothing was written",
                headers={"WWW-Authenticate": "Bearer"},
            ) from exc

    return guard


ReaderSession = Annotated[dict[str, Any], Depends(reader_session)]
WriterSession = Annotated[dict[str, Any], Depends(writer_session)]
