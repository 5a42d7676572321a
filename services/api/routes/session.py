"""Login with a password, token refresh, logout and `GET /v1/me`: one active device per account."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from fastapi import APIRouter, BackgroundTasks

from shopbill.services.api.deps import ClientIp, CouchDep, CurrentSession, SettingsDep, SmsDep
from shopbill.services.api.errors import ApiError
from shopbill.services.api.models import (
    CouchCredentials,
    LoginIn,
    LoginOut,
    Ok,
    RefreshIn,
    TokensOut,
)
from shopbill.services.api.otp_sending import too_many
from shopbill.services.api.phone_moves import apply_due_change
from shopbill.services.core.clock import epoch_rfc3339
from shopbill.services.core.config import Settings
from shopbill.services.core.names import shop_db
from shopbill.services.core.security import verify_password_async
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict, Superseded, TokenRejected
from shopbill.services.identity.accounts import get_account, get_account_by_phone
from shopbill.services.identity.devices import get_session, login_device, refresh_tokens, revoke_device
from shopbill.services.identity.notices import send_notice
from shopbill.services.identity.ratelimit import hit, peek

router = APIRouter(prefix="/v1", tags=["session"])


BAD_LOGIN = ApiError(401, "invalid_credentials", "wrong phone number or password")


def account_id(account: dict[str, Any]) -> str:
    """The account's id without its doc-id prefix."""
    return str(account["_id"]).removeprefix("account:")


def discard(read: asyncio.Future[Any] | None) -> None:
    """Cancel a read if its answer is no longer needed, and retrieve its outcome (so an error of
    an unused read is not logged)."""
    if read is not None:
        read.cancel()
        read.add_done_callback(lambda done: done.cancelled() or done.exception())


async def start_device_session(
    couch: Couch,
    settings: Settings,
    *,
    account: dict[str, Any],
    device_id: str,
    device_name: str | None,
    session_read: Awaitable[dict[str, Any] | None] | None = None,
) -> LoginOut:
    """Rotate the credentials for `device_id` and build the login answer (`session_read`: see
    `login_device`)."""
    try:
        creds, tokens, session = await login_device(
            couch,
            settings,
            account_id=account_id(account),
            business_id=account["business_id"],
            device_id=device_id,
            device_name=device_name,
            session_read=session_read,
        )
    except (Superseded, Conflict) as exc:
        raise ApiError(
            409,
            "login_conflict",
            "another login for this account happened at the same moment; that device is now the active one",
        ) from exc
    return LoginOut(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        couchdb=CouchCredentials(
            url=settings.couchdb_public_url,
            db=shop_db(account["business_id"]),
            username=creds.username,
            password=creds.password,
        ),
        device_id=device_id,
        invoice_series=session["series"],
    )


def login_caps(
    settings: Settings, *, phone: str, ip: str, device_id: str
) -> tuple[list[tuple[str, str, int]], tuple[str, str, int]]:
    """The failure caps of a login: per IP and per phone, and the own allowance of the device."""
    return (
        [
            ("login-ip", ip, settings.login_failures_per_ip_per_hour),
            ("login-phone", phone, settings.login_failures_per_phone_per_hour),
        ],
        ("login-device", f"{phone}:{device_id}", settings.login_failures_per_phone_per_hour),
    )


@router.post("/login", response_model=LoginOut)
async def login(
    body: LoginIn, couch: CouchDep, settings: SettingsDep, ip: ClientIp, sms: SmsDep, background: BackgroundTasks
) -> LoginOut:
    """Log in; the previous device's CouchDB password, cookies and tokens stop working.

    Failures are capped per IP and per phone. So that a stranger who burns those caps cannot lock
    the owner out, the device that logged in last keeps its own allowance: its login is refused
    only when its own failures reach the cap."""
    shared, own = login_caps(settings, phone=body.phone, ip=ip, device_id=body.device_id)
    # The rate-limit reads (one request) and the account lookup go out together.
    verdicts, account = await asyncio.gather(peek(couch, [*shared, own]), get_account_by_phone(couch, body.phone))
    # The device session doc is read while Argon2 runs (one round trip less after it).
    session_read = asyncio.ensure_future(get_session(couch, account_id(account))) if account else None
    try:
        refused = [v for v in verdicts[:-1] if not v.allowed]
        trusted = False
        if refused and session_read is not None:
            current = await session_read
            trusted = current is not None and current["device_id"] == body.device_id
        if not verdicts[-1].allowed or (refused and not trusted):
            worst = max((v.retry_after for v in verdicts if not v.allowed), default=1)
            raise too_many(worst, "too many failed logins; try again later")
        # Unknown phones are checked against a dummy hash: same answer, similar time.
        if not await verify_password_async(account["password_hash"] if account else None, body.password):
            for scope, key, limit in [*shared, own]:
                await hit(couch, scope=scope, key=key, limit=limit)
            raise BAD_LOGIN
        assert account is not None
        # A phone change that waited out its period (routes/phone_lost.py) takes effect now; the
        # session below rotates the credentials as a direct change does.
        await apply_due_change(couch, sms, background, account)
        answer = await start_device_session(
            couch,
            settings,
            account=account,
            device_id=body.device_id,
            device_name=body.device_name,
            session_read=session_read,
        )
    finally:
        discard(session_read)  # unused when the login failed (nothing to do when it was used)
    background.add_task(
        send_notice,
        couch,
        sms,
        account["phone"],
        "your shop account was logged in on a device, which is now the active one",
    )
    return answer


@router.post("/token/refresh", response_model=TokensOut)
async def token_refresh(body: RefreshIn, couch: CouchDep, settings: SettingsDep) -> TokensOut:
    """Trade a refresh token (single use; a retry within 60 s gets the same answer)."""
    try:
        tokens = await refresh_tokens(couch, settings, body.refresh_token)
    except TokenRejected as exc:
        raise ApiError(401, exc.code, "the refresh token cannot be used; log in again") from exc
    return TokensOut(access_token=tokens.access_token, refresh_token=tokens.refresh_token)


@router.post("/logout", response_model=Ok)
async def logout(session: CurrentSession, couch: CouchDep) -> Ok:
    """Revoke this device's tokens and CouchDB credentials."""
    await revoke_device(couch, session)
    return Ok()


@router.get("/me")
async def me(session: CurrentSession, couch: CouchDep) -> dict[str, Any]:
    """The account, its business and the active device."""
    account = await get_account(couch, session["account_id"])
    if account is None:
        raise ApiError(401, "invalid_token", "the account no longer exists")
    business = await couch.get_doc(shop_db(account["business_id"]), "business") or {}
    return {
        "account": {
            "id": session["account_id"],
            "phone": account["phone"],
            "owner_name": account["owner_name"],
            "created_at": account["created_at"],
        },
        "business": {
            "id": account["business_id"],
            "db": shop_db(account["business_id"]),
            **{
                k: business[k]
                for k in ("name", "category", "address", "gstin", "state_code", "timezone")
                if k in business
            },
        },
        "device": {
            "id": session["device_id"],
            "name": session["device_name"],
            "since": epoch_rfc3339(session["since"], "seconds"),
            "last_used_at": epoch_rfc3339(session["last_used_at"], "seconds"),
            "invoice_series": session["series"],
        },
    }
