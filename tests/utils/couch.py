"""Small helpers for tests that set up databases and users over the CouchDB HTTP API."""

from __future__ import annotations

import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from shopbill.services.ops.apache_couchdb import ApacheCouchDB
from shopbill.services.ops.embedded import EmbeddedServer

# Which server the suite starts: `embedded` (make test) or `couchdb`, Apache CouchDB from
# COUCHDB_DIST (make test-couchdb).
ENGINE = os.environ.get("SHOPBILL_TEST_ENGINE", "embedded")
if ENGINE not in ("embedded", "couchdb"):
    raise RuntimeError(f"SHOPBILL_TEST_ENGINE={ENGINE!r}: expected 'embedded' or 'couchdb'")

Server = EmbeddedServer | ApacheCouchDB


def throwaway_server(data_dir: Path) -> Server:
    """A server of the engine under test (not started yet) in `data_dir`, with a fresh admin
    password and cookie secret."""
    password, secret = secrets.token_urlsafe(16), secrets.token_hex(32)
    if ENGINE == "couchdb":
        return ApacheCouchDB(data_dir=data_dir, admin_user="admin", admin_password=password, secret=secret)
    return EmbeddedServer(data_dir=data_dir, admin_user="admin", admin_password=password, secret=secret)


@dataclass(frozen=True)
class CouchTarget:
    """A server under test: its URL and admin credentials."""

    url: str
    admin_user: str
    admin_password: str

    @property
    def admin_auth(self) -> tuple[str, str]:
        return (self.admin_user, self.admin_password)

    def client(self, *, auth: tuple[str, str] | None = None, timeout: float = 30.0) -> httpx.Client:
        """A client for this server, anonymous unless `auth` is given."""
        return httpx.Client(base_url=self.url, auth=auth, timeout=timeout)


def unique_name(prefix: str = "t") -> str:
    """A database or user name no other test uses."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def create_user(admin: httpx.Client, name: str, password: str, roles: list[str] | None = None) -> None:
    """Create a `_users` entry."""
    r = admin.put(
        f"/_users/org.couchdb.user:{name}",
        json={"name": name, "password": password, "roles": roles or [], "type": "user"},
    )
    assert r.status_code in (201, 202), r.text


def create_db(admin: httpx.Client, name: str, *, members: list[str] | None = None) -> str:
    """Create a database whose `_security` admits only `members` (admins-only when empty)."""
    r = admin.put(f"/{name}")
    assert r.status_code in (201, 202), r.text
    security = {
        "admins": {"names": [], "roles": ["_admin"]},
        "members": {"names": members or [], "roles": [] if members else ["_admin"]},
    }
    r = admin.put(f"/{name}/_security", json=security)
    assert r.status_code == 200, r.text
    return name


def record_requests(client: Any, calls: list[tuple[str, str]]) -> None:
    """Make the services' Couch `client` append the (method, path) of each request to `calls`."""
    original = client.request

    async def counted(method: str, path: str, **kwargs: Any) -> httpx.Response:
        calls.append((method, path))
        return await original(method, path, **kwargs)

    client.request = counted
