"""The Mango indexes: generated file up to date, installed at signup and by the roll-out."""

from __future__ import annotations

import asyncio
import json

import httpx

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import shop_db
from shopbill.services.couch import Couch
from shopbill.services.ops.design_docs import roll_out
from shopbill.services.ops.indexes import INDEXES_FILE, dumps, generate, install_indexes, load_indexes
from shopbill.services.reporting.rollups import warm_indexes
from tests.utils.accounts import signup
from tests.utils.couch import unique_name

INDEX_DDOCS = sorted(f"_design/{body['ddoc']}" for body in generate())


def test_committed_indexes_are_not_stale():
    assert INDEXES_FILE.read_text(encoding="utf-8") == dumps(generate()), (
        "run `python -m shopbill.services.ops.indexes`"
    )


def test_indexes_are_json_mango_indexes_without_javascript():
    for body in load_indexes():
        assert body["type"] == "json" and body["index"]["fields"]
        assert all(isinstance(f, str) for f in body["index"]["fields"])


def index_ddocs(admin: httpx.Client, db: str) -> list[str]:
    rows = admin.get(f"/{db}/_index").json()["indexes"]
    return sorted(row["ddoc"] for row in rows if row["ddoc"])


def test_signup_installs_the_indexes(api, sms_file, admin):
    owner = signup(api, sms_file)
    assert index_ddocs(admin, shop_db(owner["business_id"])) == INDEX_DDOCS


def test_roll_out_installs_missing_indexes_once(couch, admin):
    db = shop_db(unique_name("idx"))
    assert admin.put(f"/{db}").status_code in (201, 202)

    async def run() -> tuple[dict[str, bool], dict[str, bool]]:
        async with httpx.AsyncClient(base_url=couch.url, auth=couch.admin_auth, timeout=60) as c:
            return await roll_out(c, "mango"), await roll_out(c, "mango")

    try:
        first, second = asyncio.run(run())
        assert first[db] is True and second[db] is False
        assert index_ddocs(admin, db) == INDEX_DDOCS
        plan = admin.post(
            f"/{db}/_explain", json={"selector": {"customer_phone": "+919812345678", "created_at": {"$gt": None}}}
        ).json()
        assert plan["index"]["ddoc"] == "_design/shopbill-by-phone", json.dumps(plan)
    finally:
        admin.delete(f"/{db}")


def test_warming_skips_indexes_a_database_does_not_have(couch, admin):
    db = shop_db(unique_name("warm"))
    assert admin.put(f"/{db}").status_code in (201, 202)

    async def warm() -> None:
        settings = load_settings(
            {
                "COUCHDB_URL": couch.url,
                "COUCHDB_ADMIN_USER": couch.admin_user,
                "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
            }
        )
        client = Couch(settings)
        try:
            await warm_indexes(client, db)
            await install_indexes(client.http, db)
            await warm_indexes(client, db)
        finally:
            await client.aclose()

    try:
        asyncio.run(warm())
        assert index_ddocs(admin, db) == INDEX_DDOCS
    finally:
        admin.delete(f"/{db}")
