"""A phone logged in through the services syncs a shop's days through the real rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.utils.accounts import login, signup
from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_checks import canonical, server_docs
from tests.utils.sync_client import SyncClient


def test_logged_in_phone_pushes_days_of_valid_docs_through_the_generated_vdu(
    api: TestClient, sms_file: Path, admin: httpx.Client, phone: SyncClient
) -> None:
    answer = login(api, signup(api, sms_file), "phone-a")
    stored = phone.save_session(answer)
    assert stored == {"device_id": "phone-a", "invoice_series": answer["invoice_series"]}
    shop = ShopDocs(seed=31, device_id="phone-a", series=answer["invoice_series"])
    docs = shop.days(3, total=200)
    bad = {**docs[-1], "total_paise": "12.50"}  # money must be integer paise
    phone.create(docs[:-1] + [bad])

    report = phone.sync()  # with the stored login

    assert report["status"] == "complete", report
    assert [d["id"] for d in report["denied"]] == [bad["_id"]]
    assert report["push"]["docs_written"] == 199
    on_server = server_docs(admin, answer["couchdb"]["db"])
    local = phone.dump()
    for doc in docs[:-1]:
        assert canonical(on_server[doc["_id"]]) == canonical(local[doc["_id"]])
    assert bad["_id"] not in on_server
    assert "business" in local  # the business profile the signup wrote came down by pull


def test_phone_numbers_invoices_in_the_series_of_its_login(
    api: TestClient, sms_file: Path, admin: httpx.Client, phone: SyncClient
) -> None:
    answer = login(api, signup(api, sms_file), "phone-b")
    phone.save_session(answer)
    shop = ShopDocs(seed=32, device_id="phone-b")
    docs = shop.catalogue(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    sales, invoices = [], []
    for _ in range(5):
        sale, invoice = shop.sale(datetime(2026, 11, 25, 6, 0, tzinfo=UTC), paid="full")
        del invoice["number"]
        sales.append(sale)
        invoices.append(invoice)
    phone.create(docs + sales)

    issued = phone.issue_invoices(invoices)["issued"]  # offline, series from the stored login
    report = phone.sync()

    series = answer["invoice_series"]
    assert [doc["number"] for doc in issued] == [f"{series}/2627/{n:06d}" for n in range(1, 6)]
    assert report["status"] == "complete" and report["denied"] == [], report
    on_server = server_docs(admin, answer["couchdb"]["db"])
    assert [on_server[doc["id"]]["number"] for doc in issued] == [doc["number"] for doc in issued]
