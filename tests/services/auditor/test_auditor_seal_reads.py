"""Auditor lag: a batch's seals are read and written in one request each, not a GET
and a PUT per sealed doc; the shop's Mango indexes are brought up to date once it is caught up,
not after every batch.

Under a phone's push the auditor fell minutes behind; two sequential ledger round trips per
invoice or payment were half its work. The verdicts must not change: new docs are sealed once,
a doc whose seal differs is still flagged.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import LEDGER_DB, shop_db
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.worker import BATCH, audit_database
from shopbill.services.ops.indexes import load_indexes
from shopbill.services.ops.provision import provision_server
from tests.utils.couch import CouchTarget, create_db, record_requests, unique_name
from tests.utils.shop_docs import ShopDocs


def audit(couch: CouchTarget) -> tuple[list[tuple[str, str]], Any]:
    """Audit every `biz_` test db's changes; the (method, path) of each request it made."""
    settings = load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
            "COUCHDB_TIMEOUT": "30",
        }
    )
    calls: list[tuple[str, str]] = []

    async def run(db: str) -> int:
        client = Couch(settings)
        record_requests(client, calls)
        try:
            await provision_server(client)
            calls.clear()
            return await audit_database(client, db)
        finally:
            await client.aclose()

    return calls, run


def test_batch_of_sealed_docs_reads_and_writes_its_seals_once(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, shop_db(unique_name("sealreads")))
    docs = ShopDocs(seed=8).days(1, total=60)
    assert all("error" not in row for row in admin.post(f"/{db}/_bulk_docs", json={"docs": docs}).json())
    sealed = [d["_id"] for d in docs if d["type"] in ("invoice", "payment")]
    assert len(sealed) > 5
    calls, run = audit(couch)
    assert asyncio.run(run(db)) == len(docs)
    per_doc = [(m, p) for m, p in calls if p.startswith(f"/{LEDGER_DB}/seal")]
    assert per_doc == []  # neither a GET nor a PUT per sealed doc
    assert [p for m, p in calls if m == "POST" and p == f"/{LEDGER_DB}/_bulk_docs"]
    assert [p for m, p in calls if m == "POST" and p == f"/{LEDGER_DB}/_all_docs"]
    for doc_id in sealed:
        assert admin.get(f"/{LEDGER_DB}/seal:{db}:{doc_id}").status_code == 200


def test_indexes_are_warmed_once_after_the_last_batch(couch: CouchTarget, admin: httpx.Client) -> None:
    """Warming after each batch cost ~200 ms per index and batch on the embedded server and held
    back the next batch's seals: under a 10,000-doc push, seals lagged by minutes."""
    db = create_db(admin, shop_db(unique_name("warmonce")))
    indexes = load_indexes()
    for index in indexes:
        body = {k: v for k, v in index.items() if k != "shopbill"}
        assert admin.post(f"/{db}/_index", json=body).status_code == 200
    docs = ShopDocs(seed=10).days(2, total=2 * BATCH + 50)
    assert all("error" not in row for row in admin.post(f"/{db}/_bulk_docs", json={"docs": docs}).json())
    calls, run = audit(couch)
    assert asyncio.run(run(db)) == len(docs) + len(indexes)  # the index design docs are changes too
    finds = [n for n, (m, p) in enumerate(calls) if p == f"/{db}/_find"]
    assert len(finds) == len(indexes)  # one query per index, for the whole pass
    seal_writes = [n for n, (m, p) in enumerate(calls) if p == f"/{LEDGER_DB}/_bulk_docs"]
    assert len(seal_writes) >= 3 and max(seal_writes) < min(finds)  # every batch sealed first
    for index in indexes:  # and the indexes are up to date: a query finds the docs at once
        field = index["index"]["fields"][0]
        r = admin.post(
            f"/{db}/_find", json={"selector": {field: {"$gt": None}}, "use_index": index["ddoc"], "limit": 1}
        )
        assert r.status_code == 200 and r.json()["docs"], (index["ddoc"], r.text)


def test_seal_read_in_batch_still_flags_a_changed_revision(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, shop_db(unique_name("sealreads")))
    docs = ShopDocs(seed=9).days(1, total=20)
    admin.post(f"/{db}/_bulk_docs", json={"docs": docs})
    target = next(d for d in docs if d["type"] == "invoice")
    seal_id = f"seal:{db}:{target['_id']}"
    assert (
        admin.put(
            f"/{LEDGER_DB}/{seal_id}", json={"rev": "1-forged", "hash": "x", "sealed_at": "2026-01-01T00:00:00.000Z"}
        ).status_code
        == 201
    )
    _, run = audit(couch)
    asyncio.run(run(db))
    rev = admin.get(f"/{db}/{target['_id']}").json()["_rev"]
    finding = admin.get(f"/{LEDGER_DB}/finding:{db}:{target['_id']}:{rev}")
    assert finding.status_code == 200 and finding.json()["kind"] == "tampered", finding.text


def test_seal_many_keeps_a_seal_someone_wrote_first(couch: CouchTarget, admin: httpx.Client) -> None:
    from shopbill.services.integrity.ledger import seal_many

    db = shop_db(unique_name("sealmany"))
    docs = [{"_id": f"invoice:{n}", "_rev": f"1-{n}", "type": "invoice"} for n in "ab"]
    first = {"rev": "1-earlier", "hash": "h", "sealed_at": "2026-01-01T00:00:00.000Z"}
    assert admin.put(f"/{LEDGER_DB}/seal:{db}:invoice:a", json=first).status_code == 201
    settings = load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
        }
    )

    async def run() -> dict[str, Any]:
        client = Couch(settings)
        try:
            return await seal_many(client, db, docs)
        finally:
            await client.aclose()

    seals = asyncio.run(run())
    assert seals["invoice:a"]["rev"] == "1-earlier"
    assert seals["invoice:b"]["rev"] == "1-b"
    assert admin.get(f"/{LEDGER_DB}/seal:{db}:invoice:b").json()["rev"] == "1-b"
