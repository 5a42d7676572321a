"""Device switch with real PouchDB phones: nothing is lost and invoice numbers never collide.

Phone A has unsynced invoices when the owner logs in on phone B. B gets what was synced; A is
locked out (401) but keeps its documents; logging back in on A lets it push them; B, logged in
again later, pulls them. Each login has its own invoice series.
"""

from __future__ import annotations

from typing import Any

from tests.utils.accounts import login, signup
from tests.utils.docs import invoice
from tests.utils.sync_client import Remote


def unnumbered(count: int) -> list[dict[str, Any]]:
    docs = []
    for _ in range(count):
        doc = invoice()
        del doc["number"]
        docs.append(doc)
    return docs


def server_invoices(admin, db: str) -> dict[str, str]:
    rows = admin.get(
        f"/{db}/_all_docs", params={"include_docs": "true", "startkey": '"invoice:"', "endkey": '"invoice:\uffff"'}
    ).json()["rows"]
    return {row["id"]: row["doc"]["number"] for row in rows}


def test_device_switch_keeps_every_invoice_and_numbers_never_collide(api, sms_file, admin, new_phone):
    owner = signup(api, sms_file)
    phone_a, phone_b = new_phone("a"), new_phone("b")

    login_a = login(api, owner, "phone-a")
    remote_a = Remote(**login_a["couchdb"])
    phone_a.issue_invoices(unnumbered(5), series=login_a["invoice_series"])
    assert phone_a.sync(remote_a)["status"] == "complete"
    unsynced = phone_a.issue_invoices(unnumbered(50), series=login_a["invoice_series"])["issued"]

    login_b = login(api, owner, "phone-b")
    remote_b = Remote(**login_b["couchdb"])
    assert phone_b.sync(remote_b)["status"] == "complete"
    synced_ids = set(server_invoices(admin, remote_b.db))
    assert len(synced_ids) == 5 and synced_ids <= set(phone_b.dump())
    phone_b.issue_invoices(unnumbered(10), series=login_b["invoice_series"])
    assert phone_b.sync(remote_b)["status"] == "complete"

    locked_out = phone_a.sync(remote_a)
    assert locked_out["status"] == "unauthorized"
    assert {doc["id"] for doc in unsynced} <= set(phone_a.dump()), "A keeps its local invoices"

    login_a2 = login(api, owner, "phone-a")
    assert phone_a.sync(Remote(**login_a2["couchdb"]))["status"] == "complete"

    login_b2 = login(api, owner, "phone-b")
    assert phone_b.sync(Remote(**login_b2["couchdb"]))["status"] == "complete"

    on_server = server_invoices(admin, remote_b.db)
    assert len(on_server) == 65
    assert len(set(on_server.values())) == 65, "no invoice number is used twice"
    assert set(on_server) <= set(phone_b.dump()), "B now holds every invoice, A's 50 included"
    series = {login_a["invoice_series"], login_b["invoice_series"]}
    assert {number.split("/")[0] for number in on_server.values()} == series
