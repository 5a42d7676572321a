"""Fixtures and helpers for tests of CouchDB's access rules over HTTP (any COUCHDB_URL)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.utils.couch import CouchTarget, create_db, create_user, unique_name


@dataclass(frozen=True)
class Shop:
    """A members-only database: `member` may use it, `outsider` (signed in) may not."""

    db: str
    member: tuple[str, str]
    outsider: tuple[str, str]


def new_user(admin: httpx.Client, prefix: str = "u") -> tuple[str, str]:
    """Create a `_users` entry; return its (name, password)."""
    name, password = unique_name(prefix), secrets.token_urlsafe(12)
    create_user(admin, name, password)
    return name, password


def make_shop(admin: httpx.Client) -> Shop:
    """A db whose `_security` admits one member, with one doc `d1`, plus a signed-in outsider."""
    member, outsider = new_user(admin, "member"), new_user(admin, "outsider")
    db = create_db(admin, unique_name("shop"), members=[member[0]])
    assert admin.put(f"/{db}/d1", json={"total": 100}).status_code == 201
    return Shop(db=db, member=member, outsider=outsider)


@pytest.fixture
def shop(admin: httpx.Client) -> Shop:
    """A fresh members-only db (see `Shop`)."""
    return make_shop(admin)


@pytest.fixture
def as_member(couch: CouchTarget, shop: Shop) -> Iterator[httpx.Client]:
    """A client signed in (Basic auth) as the shop's member."""
    with couch.client(auth=shop.member) as client:
        yield client


@pytest.fixture
def as_outsider(couch: CouchTarget, shop: Shop) -> Iterator[httpx.Client]:
    """A client signed in (Basic auth) as a user who is not a member of the shop's db."""
    with couch.client(auth=shop.outsider) as client:
        yield client


def refused_rules_write(r: httpx.Response) -> bool:
    """A member's write of a design doc or `_security` was refused: 401/403, or on Apache CouchDB
    a 500 `error_saving_ddoc` / `no_majority` (its answer to such a refusal; nothing is stored)."""
    if r.status_code in (401, 403):
        return True
    body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
    return r.status_code == 500 and (
        "error_saving_ddoc" in (body.get("error"), body.get("reason")) or body.get("reason") == "no_majority"
    )


def assert_server_alive(admin: httpx.Client) -> None:
    """The server still answers, and can still open and create databases."""
    assert admin.get("/", timeout=10).status_code == 200
    assert admin.get("/_users", timeout=10).status_code == 200
    name = unique_name("alive")
    assert admin.put(f"/{name}", timeout=10).status_code in (201, 202)
    assert admin.delete(f"/{name}", timeout=10).status_code in (200, 202)


def server_features(client: httpx.Client) -> list[str]:
    """The "features" the server's root lists (ours: "feed_revocation", "mango_vdu", ...)."""
    body = client.get("/").json()
    return list(body.get("features") or [])
