"""The integrity auditor, run as its own process against the real server."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from shopbill.services.core.names import LEDGER_DB
from tests.utils.accounts import bearer, login, signup
from tests.utils.auditor_process import eventually, running_auditor
from tests.utils.docs import example, invoice


@pytest.fixture(scope="module")
def auditor(couch) -> Iterator[subprocess.Popen[bytes]]:
    with running_auditor(couch) as process:
        yield process


@pytest.fixture
def shop(api, sms_file, couch, auditor) -> dict[str, Any]:
    owner = signup(api, sms_file)
    answer = login(api, owner)
    creds = answer["couchdb"]
    return {
        "owner": owner,
        "login": answer,
        "db": creds["db"],
        "phone": couch.client(auth=(creds["username"], creds["password"])),
    }


def notices(admin, db: str, subject_id: str) -> list[dict]:
    rows = admin.get(
        f"/{db}/_all_docs", params={"include_docs": "true", "startkey": '"audit:"', "endkey": '"audit:\uffff"'}
    ).json()["rows"]
    return [r["doc"] for r in rows if r["doc"]["subject_id"] == subject_id]


def test_tampered_sibling_of_an_invoice_is_ignored_and_reported(shop, api, admin):
    original = invoice()
    r = shop["phone"].put(f"/{shop['db']}/{original['_id']}", json=original)
    assert r.status_code == 201
    sale_uuid = original["_id"].removeprefix("invoice:")
    served = api.get(f"/v1/invoices/{sale_uuid}", headers=bearer(shop["login"]))
    assert served.status_code == 200 and served.json()["total_paise"] == original["total_paise"]
    # A phone pushes a different first revision of the same invoice as a replicated edit, with a
    # longer history so that CouchDB makes it the winner.
    forged = {
        **original,
        "total_paise": 1,
        "paid_paise": 1,
        "_rev": f"3-{uuid.uuid4().hex}",
        "_revisions": {"start": 3, "ids": [uuid.uuid4().hex for _ in range(3)]},
    }
    r = shop["phone"].post(f"/{shop['db']}/_bulk_docs", json={"docs": [forged], "new_edits": False})
    assert r.status_code == 201
    assert admin.get(f"/{shop['db']}/{original['_id']}").json()["total_paise"] == 1, "forgery won"
    served = api.get(f"/v1/invoices/{sale_uuid}", headers=bearer(shop["login"]))
    assert served.status_code == 200 and served.json()["total_paise"] == original["total_paise"]
    found = eventually(lambda: [n for n in notices(admin, shop["db"], original["_id"]) if n["kind"] == "tampered"])
    assert found[0]["severity"] == "warning"


def test_wrong_totals_get_an_audit_notice_and_a_finding(shop, admin):
    bad = invoice(total_paise=64001, paid_paise=64001)  # the lines add up to 64000
    assert shop["phone"].put(f"/{shop['db']}/{bad['_id']}", json=bad).status_code == 201
    found = eventually(lambda: notices(admin, shop["db"], bad["_id"]))
    assert found[0]["kind"] == "invalid" and "total" in found[0]["message"]
    rev = admin.get(f"/{shop['db']}/{bad['_id']}").json()["_rev"]
    finding = admin.get(f"/{LEDGER_DB}/finding:{shop['db']}:{bad['_id']}:{rev}")
    assert finding.status_code == 200 and finding.json()["kind"] == "invalid"


def test_series_report_counts_numbers_and_gaps(shop, admin):
    for counter in (1, 2, 5):
        doc = invoice(number=f"B3/2627/{counter:06d}")
        assert shop["phone"].put(f"/{shop['db']}/{doc['_id']}", json=doc).status_code == 201

    def report():
        r = admin.get(f"/{LEDGER_DB}/series:{shop['db']}")
        series = r.json().get("series", {}) if r.status_code == 200 else {}
        entry = series.get("B3/2627")
        return entry if entry and entry["count"] == 3 else None

    entry = eventually(report)
    assert (entry["first"], entry["last"], entry["gaps"], entry["missing"]) == (1, 5, [3, 4], 2)


def test_series_report_counts_credit_notes_in_their_own_series(shop, admin):
    for counter in (1, 2, 4):
        doc = {**example("credit_note"), "_id": f"credit_note:{uuid.uuid4()}", "number": f"C0B3/2627/{counter:06d}"}
        assert shop["phone"].put(f"/{shop['db']}/{doc['_id']}", json=doc).status_code == 201

    def report():
        r = admin.get(f"/{LEDGER_DB}/series:{shop['db']}")
        entry = (r.json().get("series", {}) if r.status_code == 200 else {}).get("C0B3/2627")
        return entry if entry and entry["count"] == 3 else None

    entry = eventually(report)
    assert (entry["first"], entry["last"], entry["gaps"], entry["missing"]) == (1, 4, [3], 1)


def test_conflicting_item_branches_are_settled_by_latest_update(shop, admin):
    item = example("item")
    item["_id"] = f"item:{uuid.uuid4()}"
    rev1 = shop["phone"].put(f"/{shop['db']}/{item['_id']}", json=item).json()["rev"]
    older = {
        **item,
        "name": "Old name",
        "updated_at": "2026-11-25T10:00:00Z",
        "_rev": f"2-{'a' * 32}",
        "_revisions": {"start": 2, "ids": ["a" * 32, rev1[2:]]},
    }
    newer = {
        **item,
        "name": "New name",
        "updated_at": "2026-11-25T11:00:00Z",
        "_rev": f"2-{'0' * 32}",
        "_revisions": {"start": 2, "ids": ["0" * 32, rev1[2:]]},
    }
    r = shop["phone"].post(f"/{shop['db']}/_bulk_docs", json={"docs": [older, newer], "new_edits": False})
    assert r.status_code == 201
    # CouchDB picks the 'a…' branch (higher hash); the auditor follows the later update instead.

    def settled():
        doc = admin.get(f"/{shop['db']}/{item['_id']}", params={"conflicts": "true"}).json()
        return doc if "_conflicts" not in doc else None

    doc = eventually(settled)
    assert doc["name"] == "New name"
    decision = admin.get(f"/{LEDGER_DB}/decision:{shop['db']}:{item['_id']}").json()
    assert decision["winner"] == newer["_rev"] and decision["losers"] == [older["_rev"]]
