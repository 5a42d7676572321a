"""One pushed document must not stop the auditor for every shop, nor make a reader answer 500.

A lone UTF-16 surrogate in a string passes JSON and the VDU but cannot be encoded as UTF-8: it
made `ledger.content_hash` raise, the auditor's task died (for every shop, again after each
restart), and `/v1/invoices` and the customer history answered a plain-text 500. A year-9999
`issued_at` overflowed the checks the same way; the VDU now refuses years outside 2000-2999. A
day no calendar has (30 February) passes both engines' VDUs and made the roll-ups raise.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import LEDGER_DB, shop_db
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor import worker
from shopbill.validators.checks import explain
from tests.utils.accounts import bearer, new_phone
from tests.utils.auditor_process import audited, eventually, running_auditor
from tests.utils.checkout import ENGINE_OIL, SPARK_PLUG, ist, open_shop
from tests.utils.couch import create_db, unique_name


def push_raw(phone, doc: dict[str, Any]) -> Any:
    """PUT `doc` as JSON with ASCII escapes, so a lone surrogate travels as `\\ud800`."""
    return phone.client.put(
        f"/{phone.db}/{quote(doc['_id'], safe='')}",
        content=json.dumps(doc, ensure_ascii=True),
        headers={"Content-Type": "application/json"},
    )


def sealed(admin, db: str, doc_id: str) -> bool:
    return admin.get(f"/{LEDGER_DB}/seal:{db}:{doc_id}").status_code == 200


def finding_kinds(admin, db: str, doc_id: str) -> set[str]:
    rows = admin.get(
        f"/{LEDGER_DB}/_all_docs",
        params={
            "startkey": json.dumps(f"finding:{db}:{doc_id}:"),
            "endkey": json.dumps(f"finding:{db}:{doc_id}:\uffff"),
            "include_docs": "true",
        },
    ).json()["rows"]
    return {row["doc"]["kind"] for row in rows}


def failure_count(admin) -> int:
    status = admin.get(f"/{LEDGER_DB}/auditor_status")
    return int(status.json().get("failures", {}).get("count", 0)) if status.status_code == 200 else 0


def test_the_auditor_keeps_sealing_other_shops_while_a_poisoned_doc_sits_in_one(api, sms_file, couch, admin) -> None:
    """The poison is a day that does not exist (30 February): both engines' VDUs take it (their
    pattern only bounds the digits), the checks flag it, and the roll-ups, which count a flagged
    doc at its revision, raised parsing its day, which stopped the auditor for every shop."""
    poisoned_login, poisoned = open_shop(api, sms_file, couch)
    _, healthy = open_shop(api, sms_file, couch)
    customer = new_phone()
    _, good = poisoned.checkout(customer, ist("2026-11-03"), [(SPARK_PLUG, 1000)])
    sale, invoice = poisoned.checkout(customer, ist("2026-11-04"), [(ENGINE_OIL, 1000)])
    assert invoice is not None
    # The phone's own sale, and an invoice of it issued on a day no calendar has.
    sale2, _ = poisoned.checkout(customer, ist("2026-11-05"), [(ENGINE_OIL, 1000)], paid=0)
    poison = {
        **invoice,
        "_id": "invoice:" + sale2["_id"].split(":", 1)[1],
        "sale_id": sale2["_id"],
        "number": "A7/2627/000099",
        "issued_at": "2027-02-30T06:30:00Z",
    }
    poison.pop("_rev")
    assert explain(poison)[0]["field"] == "issued_at"
    assert push_raw(poisoned, poison).status_code == 201
    # A lone surrogate in a line's name as well, where the engine stores one (the embedded
    # server does; Apache CouchDB answers 400 "invalid UTF-8 JSON", so it never gets in).
    sale3, _ = poisoned.checkout(customer, ist("2026-11-05"), [(ENGINE_OIL, 1000)], paid=0)
    surrogate = {
        **invoice,
        "_id": "invoice:" + sale3["_id"].split(":", 1)[1],
        "sale_id": sale3["_id"],
        "number": "A7/2627/000098",
        "lines": [{**invoice["lines"][0], "name": "Engine oil \ud800"}],
    }
    surrogate.pop("_rev")
    stored = push_raw(poisoned, surrogate).status_code
    assert stored in (201, 400)
    poisons = [poison["_id"]] + ([surrogate["_id"]] if stored == 201 else [])
    failures_before = failure_count(admin)
    with running_auditor(couch):
        eventually(lambda: audited(admin, poisoned.db))
        _, later = healthy.checkout(customer, ist("2026-11-06"), [(SPARK_PLUG, 1000)])
        eventually(lambda: sealed(admin, healthy.db, later["_id"]))
        assert sealed(admin, poisoned.db, good["_id"])
        for doc_id in poisons:
            assert eventually(lambda doc_id=doc_id: finding_kinds(admin, poisoned.db, doc_id) & {"invalid"})
    # The roll-up step did raise on the day (so the doc did poison it); the raise was recorded.
    assert failure_count(admin) > failures_before
    assert admin.get(f"/{LEDGER_DB}/auditor_status").json()["failures"]["last"]["doc_id"] in poisons
    # The readers leave it out, in the documented JSON shape, and keep the good invoices.
    headers = bearer(poisoned_login)
    listed = api.get("/v1/invoices", headers=headers)
    assert listed.status_code == 200, listed.text
    assert set(poisons) <= set(listed.json()["flagged"])
    assert {good["_id"], invoice["_id"]} <= {i["_id"] for i in listed.json()["invoices"]}
    history = api.get(f"/v1/customers/{customer}/history", headers=headers)
    assert history.status_code == 200, history.text
    assert set(poisons) <= set(history.json()["flagged"]["ids"])
    csv = api.get("/v1/exports/invoices.csv", headers=headers)
    assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == 3, csv.text
    for path in ("/v1/exports/gstr1.csv", "/v1/reports/sales?from=2026-11-01&to=2026-11-30&group_by=day"):
        assert api.get(path, headers=headers).status_code == 200
    health = api.get("/healthz").json()
    assert health["auditor"]["status"] in ("ok", "stale"), health


def test_a_year_9999_stamp_is_refused_by_the_vdu_and_explained_not_raised(api, sms_file, couch) -> None:
    _, phone = open_shop(api, sms_file, couch)
    _, invoice = phone.checkout(new_phone(), ist("2026-11-03"), [(ENGINE_OIL, 1000)])
    forged = {**invoice, "_id": "invoice:" + "0" * 8 + invoice["_id"][16:], "issued_at": "9999-12-31T23:59:59Z"}
    forged.pop("_rev")
    assert explain(forged) and all(p["field"] for p in explain(forged))
    assert push_raw(phone, forged).status_code == 403


def test_a_check_that_raises_flags_that_doc_and_the_audit_goes_on(couch, admin, monkeypatch) -> None:
    """Whatever a rule raises on one document becomes a `check_failed` finding on it, and the
    failure is counted in the auditor's status; the other documents are sealed as usual."""
    from tests.utils.shop_docs import ShopDocs

    db = create_db(admin, shop_db(unique_name("poison")))
    docs = ShopDocs(seed=8).days(1, total=40)
    assert all("error" not in row for row in admin.post(f"/{db}/_bulk_docs", json={"docs": docs}).json())
    victim = next(d for d in docs if d["type"] in ("invoice", "payment"))
    real = worker.audit_doc

    async def exploding(client, db_name, doc, **checks):
        if doc["_id"] == victim["_id"]:
            raise OverflowError("date value out of range")
        return await real(client, db_name, doc, **checks)

    monkeypatch.setattr(worker, "audit_doc", exploding)
    settings = load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
        }
    )

    async def run() -> int:
        client = Couch(settings)
        try:
            return await worker.audit_database(client, db)
        finally:
            await client.aclose()

    assert asyncio.run(run()) == len(docs)
    assert finding_kinds(admin, db, victim["_id"]) == {"check_failed"}
    others = [d for d in docs if d["type"] in ("invoice", "payment") and d["_id"] != victim["_id"]]
    assert others and all(sealed(admin, db, d["_id"]) for d in others)
    status = admin.get(f"/{LEDGER_DB}/auditor_status").json()
    assert status["failures"]["last"]["doc_id"] == victim["_id"]
    assert "OverflowError" in status["failures"]["last"]["error"]


def test_an_unexpected_error_is_a_json_500(app_factory) -> None:
    with app_factory() as client:

        async def boom() -> None:
            raise RuntimeError("a bug")

        client.app.add_api_route("/v1/_test_boom", boom)
        answer = TestClient(client.app, raise_server_exceptions=False).get("/v1/_test_boom")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json() == {"error": "server_error", "detail": "the request could not be completed"}
