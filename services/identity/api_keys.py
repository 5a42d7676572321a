"""Read-only API keys for integrations and dashboards (`svc_api_keys`, admin-only).

A key is `sbk_<key id>_<secret>`; only the SHA-256 of the secret is stored (the secret is 256
random bits, so a fast hash is enough and no salt is needed). A key is not a device: it has no
CouchDB user, never rotates the phone's credentials and authenticates GET endpoints only. The
owner creates and revokes keys from the active device; a revoked key fails at once, since every
request reads the key's doc. Deleting the account deletes its keys; a key whose account is gone
(a deletion cut short) fails like an unknown one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from typing import Any

from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.names import API_KEYS_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict
from shopbill.services.identity.accounts import get_account

KEY_PREFIX = "sbk_"
KEY_RE = re.compile(r"sbk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")
LAST_USED_RESOLUTION = 60.0  # seconds: `last_used_at` is recorded at most once a minute


def is_api_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def public_view(doc: dict[str, Any]) -> dict[str, Any]:
    """What the owner sees of a key: never its hash."""
    return {
        "id": doc["_id"].removeprefix("apikey:"),
        "name": doc["name"],
        "created_at": doc["created_at"],
        "last_used_at": doc.get("last_used_at"),
        "revoked_at": doc.get("revoked_at"),
    }


async def create_api_key(couch: Couch, *, business_id: str, account_id: str, name: str) -> tuple[str, dict[str, Any]]:
    """Make a key; returns the key text (shown once) and its public view."""
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    doc = {
        "_id": f"apikey:{key_id}",
        "business_id": business_id,
        "account_id": account_id,
        "name": name,
        "hash": _hash(secret),
        "created_at": now_rfc3339(),
        "last_used_at": None,
        "revoked_at": None,
    }
    await couch.put_doc(API_KEYS_DB, doc)
    return f"{KEY_PREFIX}{key_id}_{secret}", public_view(doc)


async def _ensure_index(couch: Couch) -> None:
    """Listing is by business: a Mango index keeps it from scanning every shop's keys.

    `POST _index` is idempotent (an existing index answers "exists"), so it is simply sent."""
    await couch.request(
        "POST",
        f"/{API_KEYS_DB}/_index",
        json={"index": {"fields": ["business_id", "created_at"]}, "ddoc": "by-business", "name": "by-business"},
    )


async def list_api_keys(couch: Couch, *, business_id: str) -> list[dict[str, Any]]:
    """The business's keys (revoked ones included, marked), oldest first."""
    await _ensure_index(couch)
    response = await couch.request(
        "POST",
        f"/{API_KEYS_DB}/_find",
        json={
            "selector": {"business_id": business_id, "created_at": {"$gt": None}},
            "sort": [{"business_id": "asc"}, {"created_at": "asc"}],
            "limit": 1000,
        },
    )
    docs = response.json()["docs"]
    return [public_view(d) for d in docs]


async def revoke_api_key(couch: Couch, *, business_id: str, key_id: str) -> bool:
    """Revoke one of the business's keys; False when it has no such key."""
    while True:
        doc = await couch.get_doc(API_KEYS_DB, f"apikey:{key_id}")
        if doc is None or doc["business_id"] != business_id:
            return False
        if doc["revoked_at"]:
            return True
        doc["revoked_at"] = now_rfc3339()
        try:
            await couch.put_doc(API_KEYS_DB, doc)
            return True
        except Conflict:
            continue


async def delete_api_keys(couch: Couch, *, business_id: str) -> None:
    """Delete every key of the business (with its account): nothing of them is left to use."""
    await _ensure_index(couch)
    for _ in range(10):  # a key touched meanwhile conflicts: find the rest again and retry
        response = await couch.request(
            "POST",
            f"/{API_KEYS_DB}/_find",
            json={
                "selector": {"business_id": business_id, "created_at": {"$gt": None}},
                "fields": ["_id", "_rev"],
                "limit": 1000,
            },
        )
        docs = response.json()["docs"]
        if not docs:
            return
        await couch.request(
            "POST", f"/{API_KEYS_DB}/_bulk_docs", json={"docs": [{**d, "_deleted": True} for d in docs]}
        )


async def authenticate_api_key(couch: Couch, token: str) -> dict[str, Any] | None:
    """The reader identity `{business_id, api_key_id, read_only}` of a live key, or None."""
    match = KEY_RE.fullmatch(token)
    if match is None:
        return None
    doc = await couch.get_doc(API_KEYS_DB, f"apikey:{match[1]}")
    if doc is None or doc["revoked_at"] or not hmac.compare_digest(doc["hash"], _hash(match[2])):
        return None
    if await get_account(couch, doc["account_id"]) is None:
        return None
    await _touch(couch, doc)
    return {"business_id": doc["business_id"], "api_key_id": match[1], "read_only": True}


async def _touch(couch: Couch, doc: dict[str, Any]) -> None:
    """Record the key's last use (best effort: a lost race only loses a timestamp)."""
    now = time.time()
    if now - doc.get("last_used_ts", 0) < LAST_USED_RESOLUTION:
        return
    doc.update(last_used_at=now_rfc3339(), last_used_ts=now)
    try:
        await couch.put_doc(API_KEYS_DB, doc)
    except Conflict:
        pass
