"""A credit note made over REST reaches the phone by sync, and the app nets it out as the server
does (README: credit notes are netted out): the day's takings on the credit note's own day, the
customer's history per invoice and in its summary, and the invoice view lists it while the
invoice itself stays as issued. The server's own history and sales report give the same figures.

Hand-computed (GST 18 % included in the prices): 2 spark plugs at ₹118 = 23600 paid in full
(invoice); 1 l engine oil at ₹450 = 45000 with ₹100 paid (incomplete, 35000 due); a credit note
for one plug = 11800. The day: received 23600 + 10000 = 33600, less the credit note 21800;
sales 23600 + 45000 − 11800 = 56800. The customer: invoices 23600, credited 11800, net 11800;
in all 11800 + 45000 = 56800.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import expect

from tests.app.conftest import new_phone_number, shot
from tests.app.flows import (
    add_group,
    add_item,
    bill,
    business_db,
    server_docs,
    sign_up,
    wait_for,
)
from tests.utils.auditor_process import audited, running_auditor

IST = ZoneInfo("Asia/Kolkata")

# The phone's stored login (PouchDB `_local/session`, in its IndexedDB store `local-store`).
READ_SESSION = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('_pouch_shopbill');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const get = open.result.transaction('local-store').objectStore('local-store').get('_local/session');
    get.onsuccess = () => { resolve(get.result); open.result.close(); };
    get.onerror = () => reject(get.error);
  };
})"""


def ist_day(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(IST).date().isoformat()


def clear_of_midnight_ist(margin: timedelta = timedelta(minutes=5)) -> None:
    """Wait until the next midnight IST is more than `margin` away: the whole test (about a
    minute) then falls on one shop day, so its expected figures are one exact set."""
    now = datetime.now(IST)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), IST)
    if midnight - now < margin:
        time.sleep((midnight - now).total_seconds() + 1)


def device_token(page: Any) -> str:
    session = page.evaluate(READ_SESSION)
    assert session and session.get("access_token"), "the app keeps no access token"
    return str(session["access_token"])


def test_a_credit_note_made_over_rest_is_netted_out_on_the_phone(stack, phone_page) -> None:
    clear_of_midnight_ist()
    page = phone_page
    shop_phone = sign_up(page, stack)
    add_group(page, "Engine parts")
    add_item(page, "Spark plug", "118", "pcs", 1800)
    add_item(page, "Engine oil", "450", "l", 1800)
    customer = new_phone_number()
    assert bill(page, customer, [("Spark plug", "2", "")], None) == "Total: ₹236.00"
    page.get_by_test_id("invoice-issued").wait_for()
    bill(page, customer, [("Engine oil", "1", "")], "100")
    page.get_by_test_id("incomplete-notice").wait_for()
    db = business_db(stack, shop_phone)
    wait_for(lambda: page.get_by_test_id("pending").inner_text() == "All sent", 60, "all sent")
    [invoice] = server_docs(stack, db, "invoice")

    # the credit note, made over REST with the device's own access token
    headers = {"Authorization": f"Bearer {device_token(page)}"}
    sale_uuid = invoice["sale_id"].split(":", 1)[1]
    made = httpx.post(
        f"{stack.url}/v1/invoices/{sale_uuid}/credit-notes",
        headers=headers,
        timeout=30,
        json={"id": str(uuid.uuid4()), "reason": "One plug returned", "lines": [{"line_index": 0, "qty_milli": 1000}]},
    )
    assert made.status_code == 201, made.text
    note = made.json()
    assert note["total_paise"] == 11800 and note["number"].startswith("0C/")
    day = ist_day(note["issued_at"])
    assert ist_day(invoice["issued_at"]) == day

    # the phone pulls it (sync runs every 15 s): the day's takings net it out
    def netted_today() -> bool:
        page.get_by_test_id("nav-today").click()
        return page.get_by_test_id("credit-notes").inner_text() == "1 (−₹118.00)"

    wait_for(netted_today, 90, "the credit note on the phone")
    expect(page.get_by_test_id("collected")).to_have_text("₹336.00")
    expect(page.get_by_test_id("net-collected")).to_have_text("₹218.00")
    expect(page.get_by_test_id("invoices")).to_have_text("1 (₹236.00)")
    expect(page.get_by_test_id("net-sales")).to_have_text("₹568.00")
    expect(page.get_by_test_id("incomplete")).to_have_text("1 (₹350.00 due)")
    shot(page, "14-takings-credit-note")
    # another day has none of it (the credit note counts on its own day only)
    before = (datetime.fromisoformat(day) - timedelta(days=1)).date().isoformat()
    page.get_by_test_id("takings_day").fill(before)
    expect(page.get_by_role("heading", name=f"Takings of {before}")).to_be_visible()
    expect(page.get_by_test_id("credit-notes")).to_have_text("0 (₹0.00)")
    expect(page.get_by_test_id("net-sales")).to_have_text("₹0.00")

    # the customer's history: per invoice credited and net, and the summary
    page.get_by_test_id("nav-customers").click()
    page.get_by_test_id("history_phone").fill(customer)
    page.get_by_test_id("show-history").click()
    expect(page.get_by_test_id("history-summary")).to_have_text(
        "2 purchases, ₹568.00 in all (after ₹118.00 of credit notes)."
    )
    expect(page.get_by_test_id("history-invoices")).to_have_text(
        "Invoices: 1, ₹236.00 billed, ₹118.00 credited, ₹118.00 net."
    )
    expect(page.get_by_test_id(f"credited-{invoice['sale_id']}")).to_have_text(
        f"Credit note {note['number']}: ₹118.00 credited, ₹118.00 net"
    )
    shot(page, "15-history-credit-note")

    # the invoice view lists the credit note; the invoice itself is as issued
    page.get_by_test_id(f"sale-{invoice['sale_id']}").click()
    expect(page.get_by_test_id("invoice-issued")).to_contain_text("issued for ₹236.00")
    expect(page.get_by_test_id("credit-note")).to_contain_text(f"{note['number']} · ")
    expect(page.get_by_test_id("credit-note")).to_contain_text("₹118.00 — Spark plug × 1. One plug returned")
    expect(page.get_by_test_id("invoice-net")).to_have_text(
        "Invoice ₹236.00 − credited ₹118.00 = net ₹118.00. The invoice itself stays as issued."
    )
    frame = page.frame_locator("[data-testid=invoice-frame]")
    expect(frame.locator("#invoice")).to_contain_text("Rupees Two Hundred Thirty-Six Only")
    shot(page, "16-invoice-credit-note")
    with stack.admin() as admin:
        assert admin.get(f"/{db}/{invoice['_id']}").json()["_rev"] == invoice["_rev"]

    # the server, from the same synced docs, gives the same figures
    with (
        running_auditor(stack.couch),
        stack.admin() as admin,
        httpx.Client(base_url=stack.url, headers=headers, timeout=30) as api,
    ):
        wait_for(lambda: audited(admin, db), 120, "the auditor's roll-ups of the shop")
        history = api.get(f"/v1/customers/{customer}/history").json()
        assert history["invoices"] == {"count": 1, "total": 23600, "credited": 11800, "net": 11800}
        assert history["incomplete"]["outstanding"] == 35000
        totals = api.get("/v1/reports/sales", params={"from": day, "to": day}).json()["totals"]
        assert totals["amount"] == 56800
        assert totals["credit_notes"]["amount"] == 11800
