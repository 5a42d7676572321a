"""The one active device of an account: its session doc, tokens, login, refresh and logout.

The session doc `device:<account_id>` (in `svc_devices`) follows the `_users` generation (see
credentials.py): a login writes it only when its generation is newer, so racing logins end with the
session of the rotation that won, and every token of an older generation fails.

Access tokens are stateless (15 min) but checked against the session doc on every request.
Refresh tokens are single-use and numbered: presenting token n rotates to n+1; presenting n again
within the grace period returns the same answer (a lost response on a flaky link), later it is
taken as theft and revokes the device.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from shopbill.services.core.config import Settings
from shopbill.services.core.names import DEVICES_DB
from shopbill.services.core.security import read_token, sign_token
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict, Superseded, TokenRejected
from shopbill.services.identity.credentials import (
    Credentials,
    couch_username,
    revoke_credentials,
    rotate_credentials,
)
from shopbill.validators.numbering.series import device_series


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str


def _tokens(settings: Settings, session: dict[str, Any]) -> Tokens:
    """The tokens of the session's current refresh step, reproducible for the grace period."""
    issued = session["refresh"]["rotated_at"]
    claims = {"acc": session["account_id"], "gen": session["generation"]}
    access = sign_token(
        settings.secret_key, "access", settings.access_token_seconds, now=issued, dev=session["device_id"], **claims
    )
    refresh = sign_token(
        settings.secret_key,
        "refresh",
        settings.refresh_token_days * 86400,
        now=issued,
        n=session["refresh"]["counter"],
        **claims,
    )
    return Tokens(access, refresh)


async def get_session(couch: Couch, account_id: str) -> dict[str, Any] | None:
    return await couch.get_doc(DEVICES_DB, f"device:{account_id}")


async def login_device(
    couch: Couch,
    settings: Settings,
    *,
    account_id: str,
    business_id: str,
    device_id: str,
    device_name: str | None,
    session_read: Awaitable[dict[str, Any] | None] | None = None,
) -> tuple[Credentials, Tokens, dict[str, Any]]:
    """Rotate the business's CouchDB credentials and make `device_id` the one active device.

    `session_read`: a read of the session doc started earlier (while the password was checked),
    saving a round trip; it may be stale, the revision-checked write then reads again.
    """
    credentials = await rotate_credentials(couch, couch_username(business_id))
    now = time.time()
    session = {
        "account_id": account_id,
        "business_id": business_id,
        "generation": credentials.generation,
        "device_id": device_id,
        "device_name": device_name,
        "since": now,
        "last_used_at": now,
        "revoked": False,
        "series": device_series(credentials.generation),
        "refresh": {"counter": 1, "rotated_at": now},
    }
    await _write_if_newer(couch, session, session_read)
    return credentials, _tokens(settings, session), session


async def _write_if_newer(
    couch: Couch, session: dict[str, Any], first_read: Awaitable[dict[str, Any] | None] | None = None
) -> None:
    doc_id = f"device:{session['account_id']}"
    while True:
        current = await (first_read or get_session(couch, session["account_id"]))
        first_read = None
        if current and current["generation"] > session["generation"]:
            raise Superseded("another login replaced this one")
        doc = {"_id": doc_id, **session}
        if current:
            doc["_rev"] = current["_rev"]
        try:
            session["_rev"] = await couch.put_doc(DEVICES_DB, doc)
            return
        except Conflict:
            continue


async def authenticate(couch: Couch, settings: Settings, token: str) -> dict[str, Any]:
    """The active session behind an access token; raises TokenRejected otherwise."""
    claims = read_token(settings.secret_key, token, "access")
    if claims is None:
        raise TokenRejected("invalid_token")
    session = await get_session(couch, claims["acc"])
    return check_current(session, claims)


def check_current(session: dict[str, Any] | None, claims: dict[str, Any]) -> dict[str, Any]:
    """`session` if it is the live session of the token `claims` (`gen`); TokenRejected if not."""
    if session is None:
        raise TokenRejected("invalid_token")
    if session["generation"] != claims["gen"]:
        raise TokenRejected("device_replaced")
    if session["revoked"]:
        raise TokenRejected("device_revoked")
    return session


async def refresh_tokens(couch: Couch, settings: Settings, token: str) -> Tokens:
    """Trade a refresh token for new tokens (see the module docstring for reuse and its grace)."""
    claims = read_token(settings.secret_key, token, "refresh")
    if claims is None:
        raise TokenRejected("invalid_token")
    while True:
        session = check_current(await get_session(couch, claims["acc"]), claims)
        step = session["refresh"]
        now = time.time()
        if claims["n"] == step["counter"] - 1 and now - step["rotated_at"] <= settings.refresh_retry_grace_seconds:
            return _tokens(settings, session)  # a retry of a request whose answer was lost
        if claims["n"] != step["counter"]:
            await revoke_device(couch, session)
            raise TokenRejected("token_reused")
        session["refresh"] = {"counter": step["counter"] + 1, "rotated_at": now}
        session["last_used_at"] = now
        try:
            await couch.put_doc(DEVICES_DB, session)
        except Conflict:
            continue
        return _tokens(settings, session)


async def touch_session(couch: Couch, session: dict[str, Any]) -> None:
    """Record the last use of the session (best effort: a lost race only loses a timestamp)."""
    if time.time() - session.get("last_used_at", 0) < 60:
        return
    session["last_used_at"] = time.time()
    try:
        await couch.put_doc(DEVICES_DB, session)
    except Conflict:
        pass


async def revoke_device(couch: Couch, session: dict[str, Any]) -> None:
    """Revoke the active device: first its CouchDB credentials, then its tokens."""
    await revoke_credentials(couch, couch_username(session["business_id"]))
    while True:
        session["revoked"] = True
        try:
            await couch.put_doc(DEVICES_DB, session)
            return
        except Conflict:
            fresh = await get_session(couch, session["account_id"])
            if fresh is None or fresh["generation"] != session["generation"]:
                return  # a newer login replaced it already
            session = fresh
