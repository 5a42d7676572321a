"""CouchDB credentials of a business: its one `_users` entry, created, rotated and revoked here.

Each business has one CouchDB user, `shop_<business_id>`, the only member of `biz_<business_id>`.
The `_users` doc also carries `generation`, bumped on every rotation under CouchDB's revision check:
two racing rotations cannot both win, and the device session follows the highest generation.

Rotation (a login), in this order:
0. take the user's rotation lease (one rotation at a time, see `_rotation_lease`);
1. write a new random password and generation+1 to the `_users` doc (revision-checked); from here
   the old password and cookies fail (the embedded server also cuts the user's open feeds);
2. wait, bounded, until the server accepts the new password: CouchDB's auth cache follows `_users`
   asynchronously, and once it has the new doc it no longer accepts the old password;
3. only then does the caller record the device session and answer the phone.
Revocation is a rotation whose password nobody receives.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from shopbill.services.core.names import DEVICES_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict, CouchError, ServiceError, Superseded

USER_PREFIX = "org.couchdb.user:"
ACTIVATION_TIMEOUT = 5.0
LEASE_SECONDS = 2 * ACTIVATION_TIMEOUT  # outlives any rotation; a crashed holder's lease lapses then


def couch_username(business_id: str) -> str:
    """The CouchDB user name of a business."""
    return f"shop_{business_id}"


def rotation_lease_id(username: str) -> str:
    """The id of the user's rotation lease in the devices db (see `_rotation_lease`)."""
    return f"rotation:{username}"


def _user_path(username: str) -> str:
    return f"/_users/{quote(USER_PREFIX + username, safe='')}"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    generation: int


async def create_user(couch: Couch, username: str) -> None:
    """Create the business's CouchDB user with a password nobody knows (a login rotates it)."""
    doc = {
        "_id": USER_PREFIX + username,
        "name": username,
        "type": "user",
        "roles": [],
        "password": secrets.token_urlsafe(32),
        "generation": 0,
    }
    await couch.request("PUT", _user_path(username), json=doc, ok=(201, 202, 409))


async def rotate_credentials(couch: Couch, username: str) -> Credentials:
    """Give the user a new random password; see the module docstring for the order of steps.

    Waits (at most LEASE_SECONDS, by when even a crashed rotation's lease has lapsed) for another
    rotation of the user to end. Raises Conflict or Superseded when another rotation won the race.
    """
    async with _rotation_lease(couch, username):
        return await _rotate(couch, username)


async def _rotate(couch: Couch, username: str) -> Credentials:
    doc = (await couch.request("GET", _user_path(username))).json()
    password = secrets.token_urlsafe(32)
    generation = int(doc.get("generation", 0)) + 1
    for stale in ("derived_key", "salt", "iterations", "password_scheme", "pbkdf2_prf"):
        doc.pop(stale, None)
    doc.update(password=password, generation=generation)
    await couch.request("PUT", _user_path(username), json=doc)
    await _wait_until_accepted(couch, username, password, generation)
    return Credentials(username, password, generation)


async def revoke_credentials(couch: Couch, username: str) -> int:
    """Replace the password with one nobody receives; return the new generation."""
    for _ in range(10):
        try:
            return (await rotate_credentials(couch, username)).generation
        except Superseded:
            continue  # someone rotated meanwhile; rotate again so nobody we answered holds it
        except CouchError as exc:
            if exc.status != 409:
                raise
    raise CouchError(409, "conflict", f"could not revoke {username}: too many concurrent changes")


async def delete_user(couch: Couch, username: str) -> None:
    """Remove the user (its credentials fail at once)."""
    response = await couch.request("GET", _user_path(username), ok=(200, 404))
    if response.status_code == 200:
        rev = response.json()["_rev"]
        await couch.request("DELETE", _user_path(username), params={"rev": rev}, ok=(200, 202, 404))


@contextlib.asynccontextmanager
async def _rotation_lease(couch: Couch, username: str) -> AsyncIterator[None]:
    """Hold `username`'s rotation lease (`rotation:<username>` in the devices db) for the block.

    Why one rotation at a time: CouchDB counts refused passwords per (client address, user, salt)
    and, after 5, refuses even the right password from that address for 5 minutes
    (`[chttpd_auth_lockout]`). Racing rotations each try their own password, from the services'
    one address, against whichever salt is current; the last rotation's salt could be locked
    before its own check, so no login would work. Under the lease only one password is tried,
    and only against older salts.
    """
    doc_id = rotation_lease_id(username)
    deadline = time.monotonic() + LEASE_SECONDS + 1.0  # past any lease taken before this call
    while True:
        held = await couch.get_doc(DEVICES_DB, doc_id)
        lease: dict[str, Any] = {"_id": doc_id, "expires_at": time.time() + LEASE_SECONDS}
        if held is None or held["expires_at"] <= time.time():
            if held is not None:
                lease["_rev"] = held["_rev"]
            try:
                lease["_rev"] = await couch.put_doc(DEVICES_DB, lease)
                break
            except Conflict:
                pass  # another rotation took it first
        if time.monotonic() >= deadline:
            raise Conflict(409, "conflict", f"another rotation of {username} is in progress")
        await asyncio.sleep(0.02 + 0.03 * secrets.randbelow(100) / 100)  # spread the waiters' polls
    try:
        yield
    finally:
        # A lease that cannot be released now lapses after LEASE_SECONDS; the rotation's own
        # outcome (or error) is what the caller needs.
        with contextlib.suppress(ServiceError):
            await couch.delete_doc(DEVICES_DB, lease)


async def _wait_until_accepted(couch: Couch, username: str, password: str, generation: int) -> None:
    deadline = time.monotonic() + ACTIVATION_TIMEOUT
    while True:
        try:
            r = await couch.request("GET", "/_session", auth=(username, password), ok=(200, 401))
            if r.status_code == 200 and r.json().get("userCtx", {}).get("name") == username:
                return
        except CouchError:
            pass
        current = (await couch.request("GET", _user_path(username))).json()
        if int(current.get("generation", 0)) > generation:
            raise Superseded("another login rotated the credentials after this one")
        if time.monotonic() > deadline:
            raise CouchError(503, "credentials_not_active", "the server did not accept the rotated credentials in time")
        await asyncio.sleep(0.01)
