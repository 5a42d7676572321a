"""The server's own series (`0S` invoices, `0C` credit notes) are the server's: a phone-written
number in one is not counted as issued.

A phone wrote `0S/2627/000099`: it appeared in GSTR-1 and the series report showed 96 numbers
missing. Neither VDU can refuse it: Apache CouchDB main matches a Mango VDU against `{newDoc,
oldDoc}` only (its `mango_native_proc` drops the user context), so a rule cannot tell the
server's admin writes from a phone's, and the generated JavaScript twin must give the Mango
rule's verdicts. What holds instead, on both engines: the server's counter is bumped before it
writes an invoice, so the auditor flags `forged_number` a server-series number the counter
never reached (a credit note's too); the flagged invoice is left out of the series report and GSTR-1, and the REST
path keeps issuing `0S` numbers that are not flagged.
"""

from __future__ import annotations

from shopbill.services.core.names import LEDGER_DB
from tests.security.test_forged_money import note_of
from tests.security.test_forged_siblings import rows
from tests.security.test_poisoned_docs import finding_kinds
from tests.utils.accounts import new_phone
from tests.utils.auditor_process import audited, eventually, running_auditor
from tests.utils.checkout import ENGINE_OIL, Phone, ist
from tests.utils.rest_shop import new_shop, new_uuid


def test_a_phone_written_server_number_is_flagged_and_left_out(api, sms_file, couch, admin) -> None:
    shop = new_shop(api, sms_file)
    creds = shop.login["couchdb"]
    phone = Phone(client=couch.client(auth=(creds["username"], creds["password"])), db=creds["db"])
    item = shop.item(name="Relay", unit_price_paise=12345, gst_rate_bp=1800)
    sale = {"customer_phone": "+919812345678", "lines": [{"item_id": item["_id"], "qty_milli": 1000}]}
    issued = shop.post("/v1/sales", {"id": new_uuid(), "paid_paise": 12300, **sale}).json()["invoice"]
    assert issued["number"].startswith("0S/") and issued["device_id"] == "server"
    fy = issued["number"].split("/")[1]
    phone.series, phone.counter = "0S", 98
    _, forged = phone.checkout(new_phone(), ist("2026-11-03"), [(ENGINE_OIL, 2000)])
    assert forged is not None and forged["number"] == f"0S/{fy}/000099"
    forged_note = phone.put({**note_of(phone, issued, 1000), "number": f"0C/{fy}/000099"})
    with running_auditor(couch):
        eventually(lambda: audited(admin, shop.db))
        assert eventually(lambda: finding_kinds(admin, shop.db, forged["_id"]) == {"forged_number"})
        assert eventually(lambda: finding_kinds(admin, shop.db, forged_note["_id"]) == {"forged_number"})
        assert finding_kinds(admin, shop.db, issued["_id"]) == set()
    report = admin.get(f"/{LEDGER_DB}/series:{shop.db}").json()["series"][f"0S/{fy}"]
    assert report["count"] == 1 and report["last"] == 1 and report["missing"] == 0, report
    dates = {"from": "2026-04-01", "to": "2027-03-31"}
    numbers = {r["document_number"] for r in rows(api.get("/v1/exports/gstr1.csv", params=dates, headers=shop.headers))}
    assert issued["number"] in numbers and not {forged["number"], forged_note["number"]} & numbers
    again = shop.post("/v1/sales", {"id": new_uuid(), "paid_paise": 12300, **sale}).json()["invoice"]
    assert again["number"] == f"0S/{fy}/000002"
