"""The invoice-series report is kept incrementally, O(new invoices) per auditor batch.

`update_series_report` used to read every invoice of the shop at each batch with invoices
(seconds per batch at 100,000 invoices). It now folds only the batch in; the report must equal
a full rebuild from every invoice, a reused number is still flagged, and a report written
before the incremental state existed is rebuilt once.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import LEDGER_DB, shop_db
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.series import rebuild, update_series_report
from shopbill.services.ops.provision import provision_server
from shopbill.validators.numbering.continuity import add_counters, continuity, summary
from tests.utils.couch import CouchTarget, create_db, record_requests, unique_name
from tests.utils.docs import example, invoice

Batches = list[list[str]]
# Two series and two financial years, gaps (3, 4, 10..11), numbers arriving out of order, and
# B3/2627/000002 used twice (the second time in a later batch).
BATCHES: Batches = [
    ["B3/2627/000001", "B3/2627/000002", "B3/2627/000005", "A1/2526/000007"],
    ["B3/2627/000006", "A1/2526/000008", "B3/2627/000009"],
    ["B3/2627/000002", "B3/2627/000012", "A1/2526/000006", "B3/2627/000008", "B3/2627/000007"],
]


def run(
    couch: CouchTarget, work: Callable[[Couch], Coroutine[Any, Any, Any]], calls: list[tuple[str, str]] | None = None
) -> Any:
    """`work(client)` on a Couch client of the test server; its requests appended to `calls`."""
    settings = load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
        }
    )

    async def go() -> Any:
        client = Couch(settings)
        await provision_server(client)  # the ledger exists
        if calls is not None:
            record_requests(client, calls)
        try:
            return await work(client)
        finally:
            await client.aclose()

    return asyncio.run(go())


def write(admin: httpx.Client, db: str, numbers: list[str]) -> list[dict[str, Any]]:
    """New invoices numbered `numbers` in `db`, with their revisions (as the changes feed has them)."""
    docs = [invoice(number=number) for number in numbers]
    rows = admin.post(f"/{db}/_bulk_docs", json={"docs": docs}).json()
    assert all(row.get("ok") for row in rows), rows
    return [{**doc, "_rev": row["rev"]} for doc, row in zip(docs, rows)]


def test_range_arithmetic_matches_the_numbers_it_summarises() -> None:
    assert add_counters([[1, 2], [5, 5]], [3, 9, 2, 8]) == [[1, 3], [5, 5], [8, 9]]
    assert add_counters([], []) == []
    assert summary("B3/2627", [[1, 3], [5, 5], [8, 9]]) == {
        "series": "B3",
        "fy": "2627",
        "first": 1,
        "last": 9,
        "count": 6,
        "missing": 3,
        "gaps": [4, 6, 7],
    }
    wide = summary("X/2627", [[1, 1], [1000, 1000]])
    assert wide["missing"] == 998 and wide["gaps"] == list(range(2, 202))  # 200 listed
    assert continuity(["A/2627/000003", "A/2627/000001", "bad", "A/2627/000001"])["A/2627"] == {
        "series": "A",
        "fy": "2627",
        "first": 1,
        "last": 3,
        "count": 2,
        "missing": 1,
        "gaps": [2],
    }


def test_batches_give_the_report_of_a_full_rebuild(couch: CouchTarget, admin: httpx.Client) -> None:
    incremental = create_db(admin, shop_db(unique_name("series")))
    calls_per_batch = []
    written = []
    for numbers in BATCHES:
        batch = write(admin, incremental, numbers)
        written += batch
        calls: list[tuple[str, str]] = []
        report = run(couch, lambda c, batch=batch: update_series_report(c, incremental, batch), calls)
        assert not [
            path for _, path in calls if "_find" in path or "_all_docs" in path and path.startswith(f"/{incremental}")
        ]  # no read of the shop's invoices
        calls_per_batch.append(len(calls))
    # O(new docs): a batch's requests do not grow with the invoices already seen (the last batch
    # also reads the holder of the reused number and records its finding and notice).
    assert calls_per_batch[0] == calls_per_batch[1] <= 5

    whole = create_db(admin, shop_db(unique_name("series")))
    write(admin, whole, [n for numbers in BATCHES for n in numbers])
    rebuilt = run(couch, lambda c: rebuild(c, whole))
    assert report["series"] == rebuilt["series"]
    assert report["series"] == {
        "A1/2526": {"series": "A1", "fy": "2526", "first": 6, "last": 8, "count": 3, "missing": 0, "gaps": []},
        "B3/2627": {
            "series": "B3",
            "fy": "2627",
            "first": 1,
            "last": 12,
            "count": 8,
            "missing": 4,
            "gaps": [3, 4, 10, 11],
        },
    }
    stored = admin.get(f"/{LEDGER_DB}/series:{incremental}").json()
    assert stored["series"] == report["series"]

    reused = written[7]  # B3/2627/000002 again, in the third batch
    assert reused["number"] == "B3/2627/000002"
    finding = admin.get(f"/{LEDGER_DB}/finding:{incremental}:{reused['_id']}:{reused['_rev']}")
    assert finding.status_code == 200 and finding.json()["kind"] == "duplicate_number"
    assert written[1]["_id"] in finding.json()["problems"][0]["message"]

    replayed = run(couch, lambda c: update_series_report(c, incremental, written))
    assert replayed["series"] == report["series"]  # replaying batches changes nothing


def test_a_report_without_incremental_state_is_rebuilt_once(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, shop_db(unique_name("series")))
    write(admin, db, ["C1/2627/000001", "C1/2627/000003"])
    legacy = {"db": db, "updated_at": "2026-01-01T00:00:00Z", "series": {}}
    assert admin.put(f"/{LEDGER_DB}/series:{db}", json=legacy).status_code == 201
    batch = write(admin, db, ["C1/2627/000004"])
    report = run(couch, lambda c: update_series_report(c, db, batch))
    assert report["series"]["C1/2627"]["count"] == 3
    assert report["series"]["C1/2627"]["gaps"] == [2]
    assert "ranges" in admin.get(f"/{LEDGER_DB}/series:{db}").json()


def credit_notes(admin: httpx.Client, db: str, numbers: list[str]) -> list[dict[str, Any]]:
    """New credit notes numbered `numbers` in `db`, with their revisions."""
    docs = [{**example("credit_note"), "_id": f"credit_note:{uuid.uuid4()}", "number": n} for n in numbers]
    rows = admin.post(f"/{db}/_bulk_docs", json={"docs": docs}).json()
    assert all(row.get("ok") for row in rows), rows
    return [{**doc, "_rev": row["rev"]} for doc, row in zip(docs, rows)]


def test_credit_note_series_are_reported_and_a_reused_number_is_flagged(
    couch: CouchTarget, admin: httpx.Client
) -> None:
    db = create_db(admin, shop_db(unique_name("series")))
    invoices = write(admin, db, ["7/2627/000001", "7/2627/000002"])
    notes = credit_notes(admin, db, ["C007/2627/000001", "C007/2627/000003", "C007/2627/000003"])
    report = run(couch, lambda c: update_series_report(c, db, [*invoices, *notes]))
    assert report["series"]["7/2627"]["count"] == 2
    assert (report["series"]["C007/2627"]["count"], report["series"]["C007/2627"]["gaps"]) == (2, [2])
    reused = max(notes[1:], key=lambda d: d["_id"])  # the lower id of the batch holds the number
    finding = admin.get(f"/{LEDGER_DB}/finding:{db}:{reused['_id']}:{reused['_rev']}")
    assert finding.status_code == 200 and finding.json()["kind"] == "duplicate_number"


def test_a_report_of_invoices_only_is_rebuilt_with_the_credit_notes(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, shop_db(unique_name("series")))
    write(admin, db, ["7/2627/000001"])
    credit_notes(admin, db, ["C007/2627/000001"])  # audited before credit notes were counted
    invoices_only = {"db": db, "series": {}, "ranges": {"7/2627": [[1, 1]]}}
    assert admin.put(f"/{LEDGER_DB}/series:{db}", json=invoices_only).status_code == 201
    batch = credit_notes(admin, db, ["C007/2627/000002"])
    report = run(couch, lambda c: update_series_report(c, db, batch))
    assert report["series"]["C007/2627"]["count"] == 2 and report["series"]["7/2627"]["count"] == 1
