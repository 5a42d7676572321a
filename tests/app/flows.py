"""Steps of the app's browser flows, shared by the tests (Playwright's sync API)."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import expect

from shopbill.services.core.names import is_shop_db
from tests.app.conftest import Stack, new_phone_number, shot

PASSWORD = "chai-and-samosa"


def sign_up(page: Any, stack: Stack, *, shots: bool = False) -> str:
    """Sign up a new shop through the screens; returns its 10-digit phone. Ends on Items."""
    phone = new_phone_number()
    page.goto(stack.app_url)
    page.get_by_test_id("phone").fill(phone)
    if shots:
        shot(page, "01-signup")
    page.get_by_test_id("send-otp").click()
    page.get_by_test_id("otp").wait_for()
    page.get_by_test_id("otp").fill(stack.otp(f"+91{phone}"))
    page.get_by_test_id("verify-otp").click()
    page.get_by_test_id("owner_name").fill("Murugan S.")
    page.get_by_test_id("business_name").fill("Sri Murugan Auto Spares")
    page.get_by_test_id("category").select_option("automobile")
    page.get_by_test_id("new_password").fill(PASSWORD)
    if shots:
        shot(page, "02-shop-details")
    page.get_by_test_id("create-shop").click()
    page.get_by_test_id("add-group").wait_for()
    return phone


def open_screen(page: Any, name: str) -> None:
    """Tap the `name` tab and wait until its screen is drawn and no other route is on its way.

    A tap on a tab changes the hash, and the app draws on the `hashchange` that follows: a step
    taken in between would fill the screen that is about to be replaced (and a start-up still
    under way draws its own first screen after it)."""
    page.wait_for_function("document.body.dataset.started === 'true'")
    before = int(page.evaluate("document.getElementById('screen').dataset.routing"))
    page.get_by_test_id(f"nav-{name}").click()
    page.wait_for_function("(b) => Number(document.getElementById('screen').dataset.routed || 0) > b", arg=before)


def add_group(page: Any, name: str) -> None:
    open_screen(page, "items")
    page.get_by_test_id("add-group").click()
    page.get_by_test_id("group_name").fill(name)
    page.get_by_test_id("save-group").click()
    page.get_by_role("heading", name=name).wait_for()


def add_item(page: Any, name: str, price: str, unit: str = "pcs", rate_bp: int = 1800) -> None:
    open_screen(page, "items")
    page.get_by_test_id("add-item").click()
    page.get_by_test_id("item_name").fill(name)
    page.get_by_test_id("price").fill(price)
    page.get_by_test_id("unit").select_option(unit)
    page.get_by_test_id("gst_rate").select_option(str(rate_bp))
    page.get_by_test_id("save-item").click()
    page.get_by_test_id(f"item-{name}").wait_for()


def bill(
    page: Any, customer: str, lines: list[tuple[str, str, str]], paid: str | None, name: str = "", method: str = "cash"
) -> str:
    """Make a bill of (item, qty, discount) lines; `paid=None` is paid in full (one tap on the
    payment sheet's `method`), else `paid` rupees are saved as received. Returns the total shown."""
    open_screen(page, "bill")
    page.get_by_test_id("customer_phone").fill(customer)
    if name:
        page.get_by_test_id("customer_name").fill(name)
    for i, (item, qty, discount) in enumerate(lines):
        page.get_by_test_id(f"pick-{item}").click()
        page.get_by_test_id(f"qty-{i}").fill(qty)
        if discount:
            page.get_by_test_id(f"discount-{i}").fill(discount)
    total = page.get_by_test_id("total").inner_text()
    page.get_by_test_id("charge").click()
    if paid is None:  # paid in full: one tap on the payment sheet
        page.get_by_test_id(f"pay-{method}").click()
    else:
        page.get_by_test_id("part-payment").locator("summary").click()
        page.get_by_test_id("paid").fill(paid)
        page.get_by_test_id("paid_method").select_option(method)
        page.get_by_test_id("save-sale").click()
    return total


def shop_state_offered(page: Any) -> str:
    """The sale screen's first place-of-supply choice (the shop's own state), or "" while the
    screen is being drawn again (a sync that pulled something redraws an untouched screen)."""
    page.get_by_test_id("nav-bill").click()
    page.get_by_test_id("buyer-toggle").wait_for()
    return page.evaluate("document.querySelector('[data-testid=place_of_supply]')?.options[0]?.textContent ?? ''")


def wait_for(condition: Any, timeout: float, what: str) -> Any:
    """Poll `condition()` until it is truthy, up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def server_docs(stack: Stack, db: str, prefix: str) -> list[dict]:
    with stack.admin() as admin:
        rows = admin.get(
            f"/{db}/_all_docs",
            params={"include_docs": "true", "startkey": f'"{prefix}:"', "endkey": f'"{prefix}:\ufff0"'},
        ).json()["rows"]
    return [r["doc"] for r in rows]


def business_db(stack: Stack, phone: str) -> str:
    """The business database of the shop signed up with `phone` (10 digits)."""
    with stack.admin() as admin:
        for db in admin.get("/_all_dbs").json():
            if is_shop_db(db):
                doc = admin.get(f"/{db}/business")
                if doc.status_code == 200 and doc.json().get("phone") == f"+91{phone}":
                    return db
    raise AssertionError(f"no business database for +91{phone}")


def says(page: Any, text: str) -> None:
    """The screen's message area shows `text` (waits for it, up to Playwright's timeout)."""
    expect(page.get_by_test_id("message")).to_contain_text(text)
