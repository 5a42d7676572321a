"""Fixtures of the attack suite: two real shops (signed up and logged in through the services)
and a snapshot of everything an attacker could try to change, to compare before and after."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from shopbill.services.core.names import SERVICE_DBS, SYSTEM_DBS
from shopbill.services.couch import doc_path
from tests.utils.accounts import login, signup
from tests.utils.couch import CouchTarget
from tests.utils.docs import example

PRIVATE_ID = "customer:+919800000001"  # a doc of B's that A must never see ("123456" in it)


@dataclass(frozen=True)
class Shop:
    """A signed-up owner and the answer of their current login."""

    owner: dict[str, Any]
    answer: dict[str, Any]

    @property
    def db(self) -> str:
        return str(self.answer["couchdb"]["db"])

    @property
    def auth(self) -> tuple[str, str]:
        creds = self.answer["couchdb"]
        return creds["username"], creds["password"]


@pytest.fixture(scope="module")
def shop_a(api, sms_file) -> Shop:
    owner = signup(api, sms_file)
    return Shop(owner, login(api, owner, "attacker-phone"))


@pytest.fixture(scope="module")
def shop_b(api, sms_file, admin) -> Shop:
    owner = signup(api, sms_file)
    shop = Shop(owner, login(api, owner, "victim-phone"))
    secret = {**example("customer"), "_id": PRIVATE_ID, "note": "B's private figure: 123456"}
    assert admin.put(doc_path(shop.db, PRIVATE_ID), json=secret).status_code in (201, 202)
    return shop


@pytest.fixture
def as_a(couch: CouchTarget, shop_a: Shop) -> Iterator[httpx.Client]:
    """Business A's phone, signed in to CouchDB with its own (valid) credentials."""
    with couch.client(auth=shop_a.auth) as client:
        yield client


def snapshot(admin: httpx.Client, dbs: tuple[str, ...]) -> dict[str, Any]:
    """Every doc revision and the `_security` of `dbs`, plus the list of databases.

    Left out: what Apache CouchDB writes by itself (its `_global_changes` event log, and the
    `_users` design doc it installs on first use)."""
    state: dict[str, Any] = {"_all_dbs": admin.get("/_all_dbs").json()}
    for db in dbs:
        rows = admin.get(f"/{db}/_all_docs").json().get("rows", [])
        if db == "_global_changes":
            rows = []
        state[db] = {
            "docs": {row["id"]: row["value"]["rev"] for row in rows if (db, row["id"]) != ("_users", "_design/_auth")},
            "security": admin.get(f"/{db}/_security").json(),
        }
    return state


@pytest.fixture
def unchanged(admin: httpx.Client, shop_a: Shop, shop_b: Shop) -> Iterator[None]:
    """Assert that the test left both shops, `_users`, `_replicator` and the services' dbs as
    they were (the attacks run with device credentials, which must change nothing)."""
    dbs = (shop_a.db, shop_b.db, *SYSTEM_DBS, *SERVICE_DBS)
    before = snapshot(admin, dbs)
    yield
    assert snapshot(admin, dbs) == before
