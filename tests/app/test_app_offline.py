"""Really offline: the services and the CouchDB-protocol server are stopped while the owner bills;
the app reloads from its service worker, and once the servers are back the server holds exactly
the bills made offline. Also: the device-replaced flow keeps every local doc."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from shopbill.validators.arithmetic import LineInput, sale_money
from tests.app.conftest import shot
from tests.app.flows import PASSWORD, add_group, add_item, bill, business_db, server_docs, sign_up, wait_for

INVOICES, INCOMPLETE = 20, 5


def all_sent(page) -> None:
    wait_for(lambda: page.get_by_test_id("pending").inner_text() == "All sent", 120, "all sent")


def test_offline_bills_reload_from_the_service_worker_and_reach_the_server(stack, phone_page) -> None:
    page = phone_page
    phone = sign_up(page, stack)
    add_group(page, "Oils")
    add_item(page, "Coconut oil", "99.99", "l", 1800)
    all_sent(page)
    page.evaluate("navigator.serviceWorker.ready")
    wait_for(lambda: page.evaluate("Boolean(navigator.serviceWorker.controller)"), 30, "SW in control")
    db = business_db(stack, phone)
    before = {kind: len(server_docs(stack, db, kind)) for kind in ("sale", "invoice")}
    assert before == {"sale": 0, "invoice": 0}

    stack.stop()  # really offline: no services, no CouchDB-protocol server
    try:
        for n in range(INVOICES):
            bill(page, f"98{n:08d}", [("Coconut oil", f"{n + 1}.5", "")], None)
            page.get_by_test_id("invoice-issued").wait_for()
        for n in range(INCOMPLETE):
            bill(page, "9700000001", [("Coconut oil", "2", "")], str(n + 1))
            page.get_by_test_id("incomplete-notice").wait_for()
        expect(page.get_by_test_id("sync-state")).to_contain_text("Offline")
        page.reload()  # no server answers: the page comes from the service worker
        page.get_by_test_id("nav-today").click()
        expect(page.get_by_test_id("invoices")).to_contain_text(f"{INVOICES} (")
        expect(page.get_by_test_id("incomplete")).to_contain_text(f"{INCOMPLETE} (")
        expect(page.get_by_test_id("pending")).to_contain_text("not sent yet")
        shot(page, "10-offline-after-reload")
    finally:
        stack.start()

    all_sent(page)
    shot(page, "11-back-online")
    sales = server_docs(stack, db, "sale")
    invoices = server_docs(stack, db, "invoice")
    assert len(sales) == INVOICES + INCOMPLETE
    assert len(invoices) == INVOICES
    assert sorted(int(i["number"].rsplit("/", 1)[1]) for i in invoices) == list(range(1, INVOICES + 1))
    assert {i["sale_id"] for i in invoices} == {s["_id"] for s in sales if s["status"] == "invoiced"}
    assert sorted(s["paid_paise"] for s in sales if s["status"] == "incomplete") == [100, 200, 300, 400, 500]
    expected = [
        sale_money([LineInput((n + 1) * 1000 + 500, 9999, 1800)], "intra_state", True)["total_paise"]
        for n in range(INVOICES)
    ]
    assert sorted(i["total_paise"] for i in invoices) == sorted(expected)
    assert page.get_by_test_id("denied").count() == 0


def test_device_replaced_keeps_local_bills_and_sends_them_after_login(stack, phone_page) -> None:
    page = phone_page
    phone = sign_up(page, stack)
    add_group(page, "Wires")
    add_item(page, "Copper wire", "12.50", "m", 1800)
    all_sent(page)
    db = business_db(stack, phone)

    other = httpx.post(
        f"{stack.url}/v1/login",
        json={"phone": f"+91{phone}", "password": PASSWORD, "device_id": "other-phone"},
        timeout=60,
    )
    assert other.status_code == 200, other.text
    bill(page, "9811111111", [("Copper wire", "2.5", "")], None)
    page.get_by_test_id("device-replaced").wait_for(timeout=60000)
    expect(page.get_by_test_id("kept")).to_contain_text("kept safely on this phone")
    expect(page.get_by_test_id("why")).to_contain_text("logged in on another phone")
    expect(page.get_by_test_id("sync-state")).to_contain_text("log in again")
    shot(page, "12-device-replaced")
    assert server_docs(stack, db, "invoice") == []

    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("login").click()
    all_sent(page)
    invoices = server_docs(stack, db, "invoice")
    assert len(invoices) == 1 and invoices[0]["total_paise"] == 3100  # 2.5 m × ₹12.50 = ₹31.25 → ₹31
    creds = other.json()["couchdb"]
    refused = httpx.get(f"{creds['url']}/{creds['db']}", auth=(creds["username"], creds["password"]))
    assert refused.status_code == 401  # now the other phone is the replaced one
