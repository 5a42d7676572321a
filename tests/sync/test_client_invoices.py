"""The reference client numbers invoices offline: consecutive, per FY, once per sale."""

from __future__ import annotations

from datetime import UTC, datetime

from shopbill.validators.numbering import parse_invoice_number
from tests.utils.shop_docs import ShopDocs
from tests.utils.sync_client import SyncClient


def unnumbered_invoices(count: int, stamps: list[str]) -> list[dict]:
    """`count` invoices of fresh sales, issued at `stamps` (cycled), before numbering."""
    shop = ShopDocs(seed=count)
    day = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
    shop.catalogue(day)
    invoices = []
    for i in range(count):
        _, invoice = shop.sale(day, paid="full")
        stamp = stamps[i % len(stamps)]
        invoice = {**invoice, "created_at": stamp, "updated_at": stamp, "issued_at": stamp}
        del invoice["number"]
        invoices.append(invoice)
    return invoices


def test_client_numbers_consecutively_and_restarts_on_1_april_india_time(phone: SyncClient) -> None:
    # 31 March 18:29 UTC is 23:59 in India; 18:30 UTC is already 1 April there
    stamps = ["2026-03-31T10:00:00Z"] * 3 + ["2026-03-31T18:29:00Z", "2026-03-31T18:30:00Z", "2026-04-01T05:00:00Z"]
    issued = phone.issue_invoices(unnumbered_invoices(6, stamps), series="B3")["issued"]

    assert [doc["number"] for doc in issued] == [
        "B3/2526/000001",
        "B3/2526/000002",
        "B3/2526/000003",
        "B3/2526/000004",
        "B3/2627/000001",
        "B3/2627/000002",
    ]
    stored = phone.dump()
    assert all(stored[doc["id"]]["number"] == doc["number"] for doc in issued)


def test_retried_checkout_returns_the_issued_invoice_not_a_second_number(phone: SyncClient) -> None:
    first, second = unnumbered_invoices(2, ["2026-05-02T06:00:00Z"])
    issued = phone.issue_invoices([first], series="C1")["issued"]
    # the app crashed after issuing, and the owner presses "checkout" again
    again = phone.issue_invoices([first, second], series="C1")["issued"]

    assert again[0] == issued[0]
    assert again[1]["number"] == "C1/2627/000002"
    numbers = [doc["number"] for doc in phone.dump().values() if doc.get("type") == "invoice"]
    assert sorted(numbers) == ["C1/2627/000001", "C1/2627/000002"]
    assert all(parse_invoice_number(n) for n in numbers)
