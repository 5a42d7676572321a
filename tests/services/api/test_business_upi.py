"""PATCH /v1/business sets, refuses (422 naming `upi_id`) and removes the shop's UPI ID; an invoice
issued afterwards keeps the UPI ID it was issued with in its `seller` snapshot."""

from __future__ import annotations

from typing import Any

import pytest

from tests.services.api.test_invoice_seller import correct_the_shop, sell
from tests.utils.rest_shop import new_shop


@pytest.fixture
def shop(api, sms_file):
    return new_shop(api, sms_file)


def test_the_upi_id_is_set_refused_when_malformed_and_removed(shop) -> None:
    updated = correct_the_shop(shop, upi_id="murugan.spares@okaxis")
    assert updated["upi_id"] == "murugan.spares@okaxis"
    for bad in ("murugan spares@okaxis", "9876543210", "shop@@okaxis", "shop@ok_axis", "a@okaxis"):
        r = shop.patch("/v1/business", {"rev": updated["_rev"], "upi_id": bad})
        assert r.status_code == 422, (bad, r.text)
        body: dict[str, Any] = r.json()
        assert {"error", "detail"} <= set(body) and "upi_id" in [f["field"] for f in body["fields"]], r.text
    removed = shop.patch("/v1/business", {"rev": updated["_rev"], "upi_id": ""})
    assert removed.status_code == 200 and "upi_id" not in removed.json()


def test_an_invoice_keeps_the_upi_id_it_was_issued_with(shop) -> None:
    correct_the_shop(shop, upi_id="old.counter@ybl")
    item = shop.item()
    first = sell(shop, item)["invoice"]
    assert first["seller"]["upi_id"] == "old.counter@ybl"
    correct_the_shop(shop, upi_id="new.counter@okaxis")
    assert shop.get(f"/v1/invoices/{first['sale_id'].split(':')[1]}").json()["seller"]["upi_id"] == "old.counter@ybl"
    assert sell(shop, item)["invoice"]["seller"]["upi_id"] == "new.counter@okaxis"
