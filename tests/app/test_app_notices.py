"""What the sync bar tells the owner: a doc the server refuses (kept, the rest still syncs, sent
again once edited), notices of the server's integrity check, and refused persistent storage."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import expect

from tests.app.conftest import shot
from tests.app.flows import add_group, add_item, business_db, server_docs, sign_up, wait_for

# A rule the server gets after the app was built (e.g. a stricter roll-out): no item of this name.
REFUSE_NAME = {
    "_id": "_design/test_refuse_name",
    "language": "query",
    "validate_doc_update": {
        "$or": [{"newDoc": {"name": {"$exists": False}}}, {"newDoc": {"name": {"$ne": "Banned bulb"}}}]
    },
}


def test_a_refused_doc_is_explained_kept_and_does_not_block_the_rest(stack, phone_page) -> None:
    page = phone_page
    phone = sign_up(page, stack)
    db = business_db(stack, phone)
    with stack.admin() as admin:
        assert admin.put(f"/{db}/{REFUSE_NAME['_id']}", json=REFUSE_NAME).status_code == 201
    add_group(page, "Lights")
    add_item(page, "Banned bulb", "30")
    add_item(page, "LED bulb", "120")
    denied = page.get_by_test_id("denied")
    expect(denied).to_contain_text("The server refused an item", timeout=60000)
    expect(denied).to_contain_text("document is not valid")
    expect(page.get_by_test_id("pending")).to_have_text("1 other change not sent yet")
    shot(page, "13-denied")
    assert {i["name"] for i in server_docs(stack, db, "item")} == {"LED bulb"}  # the rest went on

    page.get_by_test_id("item-Banned bulb").click()
    page.get_by_test_id("item_name").fill("Plain bulb")
    page.get_by_test_id("save-item").click()
    expect(page.get_by_test_id("denied")).to_have_count(0, timeout=60000)
    wait_for(lambda: page.get_by_test_id("pending").inner_text() == "All sent", 60, "all sent")
    assert {i["name"] for i in server_docs(stack, db, "item")} == {"LED bulb", "Plain bulb"}


def test_a_doc_refused_by_a_push_already_under_way_stays_refused(stack, phone_page) -> None:
    """Regression (the flake of the test above): an item saved while a push was already
    under way was refused by that push, and the next push, which PouchDB's checkpoint let skip it,
    counted it as accepted; the bar said "All sent" while the server never had it."""
    page = phone_page
    phone = sign_up(page, stack)
    db = business_db(stack, phone)
    with stack.admin() as admin:
        assert admin.put(f"/{db}/{REFUSE_NAME['_id']}", json=REFUSE_NAME).status_code == 201
    with requests_held(page, stack.couch.url) as held:
        add_group(page, "Lights")  # a push starts: its first request to the server is held
        wait_for(lambda: page.wait_for_timeout(50) or held, 20, "the push's first request")
        add_item(page, "Banned bulb", "30")  # saved while that push is under way
    add_item(page, "LED bulb", "120")
    wait_for(
        lambda: page.wait_for_timeout(100) or "LED bulb" in names_on_server(stack, db),
        60,
        "the next item on the server",
    )
    expect(page.get_by_test_id("pending")).to_have_text("1 other change not sent yet")
    expect(page.get_by_test_id("denied")).to_contain_text("The server refused an item")
    assert names_on_server(stack, db) == {"LED bulb"}


def names_on_server(stack, db: str) -> set[str]:
    return {i["name"] for i in server_docs(stack, db, "item")}


@contextmanager
def requests_held(page, url: str) -> Iterator[list]:
    """Hold the page's requests to `url` until the block ends; yields the list of held ones (the
    page's routes run while the test waits on the page, e.g. in `page.wait_for_timeout`)."""
    held: list = []
    holding = True

    def route(r) -> None:
        if holding:
            held.append(r)
        else:
            r.continue_()

    pattern = re.compile("^" + re.escape(url))
    page.route(pattern, route)
    try:
        yield held
    finally:
        holding = False
        for r in held:
            r.continue_()
    page.unroute(pattern, route)


def test_audit_notices_and_storage_warning_are_shown(stack, phone_page) -> None:
    page = phone_page
    phone = sign_up(page, stack)
    db = business_db(stack, phone)
    notice = {
        "_id": f"audit:{uuid.uuid4()}",
        "type": "audit",
        "schema_version": 1,
        "created_at": "2026-11-25T10:15:00Z",
        "updated_at": "2026-11-25T10:15:00Z",
        "device_id": "auditor",
        "subject_id": "sale:x",
        "kind": "arithmetic_mismatch",
        "severity": "warning",
        "message": "A sale's line amount did not match; it is left out of reports.",
    }
    with stack.admin() as admin:
        assert admin.put(f"/{db}/{notice['_id']}", json=notice).status_code == 201
    add_group(page, "Anything")  # a local change: sync now, which pulls the notice
    expect(page.get_by_test_id("notices")).to_contain_text("1 notice from the server's check", timeout=60000)
    page.get_by_test_id("nav-today").click()
    expect(page.get_by_test_id("audit-notices")).to_contain_text("left out of reports")
    persisted = page.evaluate("navigator.storage.persisted()")
    expect(page.get_by_test_id("storage-warning")).to_have_count(0 if persisted else 1)
    shot(page, "14-notices")


def test_signup_of_a_registered_phone_says_log_in(stack, phone_page) -> None:
    page = phone_page
    phone = sign_up(page, stack)
    page.context.clear_cookies()
    fresh = page.context.browser.new_context(viewport={"width": 360, "height": 640})
    other = fresh.new_page()
    try:
        other.goto(stack.app_url)
        other.get_by_test_id("phone").fill(phone)
        other.get_by_test_id("send-otp").click()
        expect(other.get_by_test_id("message")).to_contain_text("already has a shop. Log in instead.")
    finally:
        fresh.close()
