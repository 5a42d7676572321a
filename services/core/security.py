"""Password hashing (Argon2id) and signed, expiring tokens (HMAC-SHA256 over SECRET_KEY).

Tokens are `<base64url(json payload)>.<base64url(signature)>`; the payload carries `typ` and `exp`
(Unix seconds). They are stateless; whether the device behind one is still active is checked
against CouchDB by the caller.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the account does not exist, so a login for an unknown phone costs the
# same time as a wrong password and does not reveal which phones are registered.
DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An Argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; takes about as long when there is no hash at all."""
    try:
        return _hasher.verify(password_hash or DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def hash_password_async(password: str) -> str:
    """`hash_password` in a worker thread (see `verify_password_async`)."""
    return await asyncio.to_thread(hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """`verify_password` in a worker thread. Argon2 costs ~60 ms of CPU (over a second on a busy
    machine): run on the event loop it stalled every other request of the replica, until their
    CouchDB connects timed out and answered 503 (found by tests/reliability/test_load.py)."""
    return await asyncio.to_thread(verify_password, password_hash, password)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def keyed_digest(secret: str, *parts: str) -> str:
    """A stable HMAC of `parts`, for derived secrets and for ids that must not be guessable."""
    return _b64(hmac.new(secret.encode(), "\x1f".join(parts).encode(), hashlib.sha256).digest())


def sign_token(secret: str, typ: str, ttl: float, now: float | None = None, **claims: Any) -> str:
    """A token of type `typ` that expires `ttl` seconds after `now`."""
    issued = time.time() if now is None else now
    payload = _b64(
        json.dumps({"typ": typ, "exp": int(issued + ttl), **claims}, separators=(",", ":"), sort_keys=True).encode()
    )
    return f"{payload}.{keyed_digest(secret, payload)}"


def read_token(secret: str, token: str, typ: str) -> dict[str, Any] | None:
    """The claims of a valid, unexpired token of type `typ`, else None."""
    payload, _, signature = token.partition(".")
    if not hmac.compare_digest(signature.encode(), keyed_digest(secret, payload).encode()):
        return None
    try:
        claims = json.loads(_unb64(payload))
    except ValueError:
        return None
    if not isinstance(claims, dict) or claims.get("typ") != typ or claims.get("exp", 0) < time.time():
        return None
    return claims
