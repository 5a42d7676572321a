"""`settle` without the shop's findings reads only those of the docs it settles.

A customer's history read every finding of the shop at each request (a range of the ledger that
grows with the shop); it now reads the findings of its own docs' revisions, in the request that
reads their seals (and, for a doc counted at another revision than its winner, of that one).
The verdicts must be those given with all of the shop's findings.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import LEDGER_DB, shop_db
from shopbill.services.couch import Couch
from shopbill.services.integrity.ledger import record_finding, seal
from shopbill.services.integrity.trusted import load_findings, settle
from shopbill.services.ops.provision import provision_server
from tests.utils.couch import CouchTarget, create_db, unique_name
from tests.utils.docs import example, invoice


def test_keyed_findings_give_the_verdicts_of_all_findings(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, shop_db(unique_name("keyed")))
    fine, flagged, forged_sibling, changed = (invoice(number=f"K1/2627/00000{n}") for n in range(4))
    sale = copy.deepcopy(example("sale"))
    sale["_id"] = "sale:keyed-incomplete"
    docs = [fine, flagged, forged_sibling, changed, sale]
    rows = admin.post(f"/{db}/_bulk_docs", json={"docs": docs}).json()
    revs = {doc["_id"]: row["rev"] for doc, row in zip(docs, rows)}
    assert all(row.get("ok") for row in rows), rows
    edited = {**changed, "_rev": revs[changed["_id"]], "total_paise": 1}
    assert admin.put(f"/{db}/{changed['_id']}", json=edited).status_code == 201  # winner != seal
    settings = load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
        }
    )
    calls: list[tuple[str, str, Any]] = []

    async def run() -> tuple[Any, Any]:
        client = Couch(settings)
        try:
            await provision_server(client)
            for doc in (fine, flagged, forged_sibling, changed):
                await seal(client, db, {**doc, "_rev": revs[doc["_id"]]})
            problems = [{"field": "x", "message": "test"}]
            for doc_id, rev in (
                (flagged["_id"], revs[flagged["_id"]]),
                (forged_sibling["_id"], "2-" + "f" * 32),
                (changed["_id"], revs[changed["_id"]]),  # the sealed revision
                (sale["_id"], revs[sale["_id"]]),
            ):
                await record_finding(client, db, doc_id, rev, kind="invalid", problems=problems)
            current = (
                await client.request(
                    "POST",
                    f"/{db}/_all_docs",
                    json={"keys": [d["_id"] for d in docs]},
                    params={"include_docs": "true", "conflicts": "true"},
                )
            ).json()["rows"]
            read = [row["doc"] for row in current]
            with_all = await settle(client, db, read, await load_findings(client, db))
            original = client.request

            async def counted(method: str, path: str, **kwargs: Any) -> httpx.Response:
                calls.append((method, path, kwargs.get("params")))
                return await original(method, path, **kwargs)

            client.request = counted  # type: ignore[method-assign]
            return with_all, await settle(client, db, read)
        finally:
            await client.aclose()

    with_all, keyed = asyncio.run(run())
    assert sorted(keyed[1]) == sorted(with_all[1]) == sorted([flagged["_id"], changed["_id"], sale["_id"]])
    assert [(d["_id"], d["_rev"]) for d in keyed[0]] == [(d["_id"], d["_rev"]) for d in with_all[0]]
    assert {d["_id"] for d in keyed[0]} == {fine["_id"], forged_sibling["_id"]}
    ranges = [c for c in calls if c[1] == f"/{LEDGER_DB}/_all_docs" and c[0] == "GET"]
    assert ranges == []  # no read of the shop's findings as a range
