"""A sibling revision of an issued invoice, pushed with `new_edits=false`, changes nothing a reader
shows: every reader (list, CSV, GSTR-1, report, history, print) reads the sealed original, the
sibling is flagged, and a sibling pushed before the first seal does not take the original's place
(services/integrity/sealed.py, the sealing rule)."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from shopbill.services.core.names import LEDGER_DB
from tests.security.test_poisoned_docs import finding_kinds, sealed
from tests.utils.accounts import bearer, new_phone
from tests.utils.auditor_process import audited, eventually, running_auditor
from tests.utils.checkout import SPARK_PLUG, ist, open_shop
from tests.utils.rest_shop import GSTIN, new_shop, new_uuid


def forged_sibling(original: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A branch of its own (the VDU sees no old doc) with a longer history, so CouchDB makes it
    the winner."""
    return {
        **original,
        **changes,
        "_rev": f"3-{uuid.uuid4().hex}",
        "_revisions": {"start": 3, "ids": [uuid.uuid4().hex for _ in range(3)]},
    }


def rows(answer) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    return list(csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff"))))


def assert_every_reader_keeps(api, login, invoice: dict[str, Any], customer: str, thief: str) -> None:
    headers = bearer(login)
    sale_uuid = invoice["_id"].split(":", 1)[1]
    listed = api.get("/v1/invoices", headers=headers).json()
    mine = [i for i in listed["invoices"] if i["_id"] == invoice["_id"]]
    assert mine and mine[0]["total_paise"] == invoice["total_paise"], listed
    assert invoice["_id"] not in listed["flagged"]
    one = api.get(f"/v1/invoices/{sale_uuid}", headers=headers)
    assert one.status_code == 200 and one.json()["customer_phone"] == customer, one.text
    assert api.get(f"/v1/invoices/{sale_uuid}/print", headers=headers).status_code == 200
    dates = {"from": "2026-11-01", "to": "2026-11-30"}
    exported = rows(api.get("/v1/exports/invoices.csv", params=dates, headers=headers))
    assert [(r["invoice_number"], r["invoice_value"]) for r in exported] == [
        (invoice["number"], f"{invoice['total_paise'] // 100}.00")
    ]
    gstr1 = rows(api.get("/v1/exports/gstr1.csv", params=dates, headers=headers))
    assert [r["document_number"] for r in gstr1] == [invoice["number"]]
    report = api.get("/v1/reports/sales", params={**dates, "group_by": "day"}, headers=headers).json()
    assert report["totals"]["invoices"] == {"count": 1, "amount": invoice["total_paise"]}, report
    history = api.get(f"/v1/customers/{customer}/history", headers=headers).json()
    assert [p["number"] for p in history["purchases"]] == [invoice["number"]], history
    assert api.get(f"/v1/customers/{thief}/history", headers=headers).json()["purchases"] == []


def test_a_sibling_pushed_after_the_seal_changes_no_reader(api, sms_file, couch, admin) -> None:
    login, phone = open_shop(api, sms_file, couch)
    customer, thief = new_phone(), new_phone()
    with running_auditor(couch):
        _, invoice = phone.checkout(customer, ist("2026-11-03"), [(SPARK_PLUG, 1000)])
        eventually(lambda: sealed(admin, phone.db, invoice["_id"]))
        forged = forged_sibling(invoice, customer_phone=thief)
        r = phone.client.post(f"/{phone.db}/_bulk_docs", json={"docs": [forged], "new_edits": False})
        assert r.status_code == 201, r.text
        assert admin.get(f"/{phone.db}/{invoice['_id']}").json()["customer_phone"] == thief
        eventually(lambda: audited(admin, phone.db))
        assert eventually(lambda: finding_kinds(admin, phone.db, invoice["_id"]) == {"tampered"})
        assert_every_reader_keeps(api, login, invoice, customer, thief)


def test_a_sibling_pushed_before_the_first_seal_does_not_drop_the_invoice(api, sms_file, couch, admin) -> None:
    login, phone = open_shop(api, sms_file, couch)
    customer, thief = new_phone(), new_phone()
    _, invoice = phone.checkout(customer, ist("2026-11-03"), [(SPARK_PLUG, 1000)])
    assert not sealed(admin, phone.db, invoice["_id"])  # no auditor yet: the race is lost
    forged = forged_sibling(invoice, customer_phone=thief)
    r = phone.client.post(f"/{phone.db}/_bulk_docs", json={"docs": [forged], "new_edits": False})
    assert r.status_code == 201, r.text
    with running_auditor(couch):
        eventually(lambda: audited(admin, phone.db))
        seal = eventually(
            lambda: (
                admin.get(f"/{LEDGER_DB}/seal:{phone.db}:{invoice['_id']}").json()
                if sealed(admin, phone.db, invoice["_id"])
                else None
            )
        )
        assert seal["rev"] == invoice["_rev"]
        assert eventually(lambda: finding_kinds(admin, phone.db, invoice["_id"]) == {"tampered"})
    assert_every_reader_keeps(api, login, invoice, customer, thief)


def test_a_conflicting_first_revision_loses_to_the_earlier_valid_one(api, sms_file, couch, admin) -> None:
    login, phone = open_shop(api, sms_file, couch)
    customer, thief = new_phone(), new_phone()
    _, invoice = phone.checkout(customer, ist("2026-11-03"), [(SPARK_PLUG, 1000)])
    # A whole other first revision, valid on its own, pushed later (later `created_at`) with a
    # revision id that CouchDB ranks first.
    sibling = {
        **invoice,
        "customer_phone": thief,
        "created_at": "2026-11-03T05:00:00Z",
        "updated_at": "2026-11-03T05:00:00Z",
        "_rev": "1-" + "f" * 32,
    }
    r = phone.client.post(f"/{phone.db}/_bulk_docs", json={"docs": [sibling], "new_edits": False})
    assert r.status_code == 201, r.text
    assert admin.get(f"/{phone.db}/{invoice['_id']}").json()["customer_phone"] == thief
    with running_auditor(couch):
        eventually(lambda: audited(admin, phone.db))
        assert eventually(lambda: finding_kinds(admin, phone.db, invoice["_id"]) == {"tampered"})
    assert admin.get(f"/{LEDGER_DB}/seal:{phone.db}:{invoice['_id']}").json()["rev"] == invoice["_rev"]
    assert_every_reader_keeps(api, login, invoice, customer, thief)


def test_a_pushed_change_to_the_shop_details_frozen_on_an_invoice_is_an_edit_like_any_other(
    api, sms_file, couch, admin
) -> None:
    """The `seller` snapshot is invoice content: an update is refused, and a sibling that
    "corrects" the GSTIN on an issued invoice is flagged and shown by no reader."""
    shop = new_shop(api, sms_file)
    item = shop.item(unit_price_paise=10000, gst_rate_bp=1800)
    sale = {"id": new_uuid(), "customer_phone": new_phone(), "paid_paise": 10000}
    made = shop.post("/v1/sales", {**sale, "lines": [{"item_id": item["_id"], "qty_milli": 1000}]})
    assert made.status_code == 201, made.text
    invoice = made.json()["invoice"]
    assert invoice["seller"]["gstin"] == GSTIN and sealed(admin, shop.db, invoice["_id"])
    corrected = {**invoice["seller"], "gstin": "33AAACM1234A2ZE"}  # valid: only the edit is wrong
    creds = shop.login["couchdb"]
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        r = phone.put(f"/{shop.db}/{invoice['_id']}", json={**invoice, "seller": corrected})
        assert r.status_code == 403, r.text
        forged = forged_sibling(invoice, seller=corrected)
        r = phone.post(f"/{shop.db}/_bulk_docs", json={"docs": [forged], "new_edits": False})
        assert r.status_code == 201, r.text
    assert admin.get(f"/{shop.db}/{invoice['_id']}").json()["seller"] == corrected, "the sibling won"
    with running_auditor(couch):
        eventually(lambda: audited(admin, shop.db))
        assert eventually(lambda: finding_kinds(admin, shop.db, invoice["_id"]) == {"tampered"})
    sale_uuid = invoice["_id"].split(":", 1)[1]
    assert shop.get(f"/v1/invoices/{sale_uuid}").json()["seller"] == invoice["seller"]
    page = shop.get(f"/v1/invoices/{sale_uuid}/print").text
    assert GSTIN in page and corrected["gstin"] not in page
