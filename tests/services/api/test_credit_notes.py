"""Credit notes: full and partial, numbered in their own series; the invoice never changes."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from shopbill.validators.checks import explain
from tests.services.api.test_invoices import node_view
from tests.utils.rest_shop import new_shop, new_uuid


@pytest.fixture(scope="module")
def shop(api, sms_file):
    return new_shop(api, sms_file)


@pytest.fixture(scope="module")
def items(shop):
    group = shop.group()
    oil = shop.item(group, name="नारियल तेल", unit="l", hsn="1513", unit_price_paise=9999, gst_rate_bp=1800)
    plug = shop.item(group, name="Spark plug", unit_price_paise=25000, gst_rate_bp=2800)
    return oil, plug


def invoiced_sale(shop, items) -> str:
    oil, plug = items
    r = shop.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": 64000,
            "lines": [
                {"item_id": oil["_id"], "qty_milli": 1500},
                {"item_id": plug["_id"], "qty_milli": 2000, "discount_paise": 1000},
            ],
        },
    )
    assert r.status_code == 201 and r.json()["invoice"], r.text
    return str(r.json()["sale"]["_id"].split(":")[1])


def credit(shop, sale_uuid, lines=None, note_id=None, client=None):
    body = {
        "id": note_id or new_uuid(),
        "reason": "Returned by the customer",
        **({"lines": lines} if lines is not None else {}),
    }
    return (client or shop.api).post(f"/v1/invoices/{sale_uuid}/credit-notes", json=body, headers=shop.headers)


def test_partial_then_full_credit_add_up_to_the_invoice(shop, items, admin):
    sale = invoiced_sale(shop, items)
    before = admin.get(f"/{shop.db}/invoice:{sale}").json()
    one_plug = credit(shop, sale, [{"line_index": 1, "qty_milli": 1000}])
    assert one_plug.status_code == 201, one_plug.text
    note = one_plug.json()
    assert note["number"].startswith("0C/") and note["invoice_id"] == f"invoice:{sale}"
    assert note["lines"][0]["amount_paise"] == 24500 and note["lines"][0]["cgst_paise"] > 0
    assert explain(admin.get(f"/{shop.db}/{note['_id']}").json()) == []
    rest = credit(shop, sale)
    assert rest.status_code == 201, rest.text
    notes = shop.get(f"/v1/invoices/{sale}/credit-notes").json()["credit_notes"]
    assert sum(n["total_paise"] for n in notes) == before["total_paise"] - before["round_off_paise"]
    for i, line in enumerate(before["lines"]):
        credited = [ln for n in notes for ln in n["lines"] if ln["line_index"] == i]
        for key in ("amount_paise", "taxable_paise", "cgst_paise", "sgst_paise", "igst_paise", "qty_milli"):
            assert sum(ln[key] for ln in credited) == line[key], key
    assert admin.get(f"/{shop.db}/invoice:{sale}").json() == before  # the invoice never changes
    done = credit(shop, sale)
    assert done.status_code == 422 and done.json()["fields"][0]["field"] == "lines"
    numbers = sorted(int(n["number"].split("/")[2]) for n in notes)
    assert numbers == list(range(numbers[0], numbers[0] + 2))


def test_over_credit_and_bad_lines_are_422_naming_fields(shop, items):
    sale = invoiced_sale(shop, items)
    r = credit(shop, sale, [{"line_index": 0, "qty_milli": 1501}, {"line_index": 7, "qty_milli": 1}])
    assert r.status_code == 422
    assert {f["field"] for f in r.json()["fields"]} == {"lines.0.qty_milli", "lines.1.line_index"}
    r = shop.post(f"/v1/invoices/{sale}/credit-notes", {"id": new_uuid(), "reason": ""})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "reason"


def test_retry_returns_the_same_note(shop, items):
    sale, note_id = invoiced_sale(shop, items), new_uuid()
    first = credit(shop, sale, [{"line_index": 0, "qty_milli": 500}], note_id)
    again = credit(shop, sale, [{"line_index": 0, "qty_milli": 500}], note_id)
    assert first.status_code == 201 and again.status_code == 200 and again.json() == first.json()
    assert len(shop.get(f"/v1/invoices/{sale}/credit-notes").json()["credit_notes"]) == 1


def test_racing_credit_notes_never_credit_more_than_the_invoice(app_factory, shop, items):
    sale = invoiced_sale(shop, items)
    with app_factory() as a, app_factory() as b:
        with ThreadPoolExecutor(6) as pool:
            answers = list(
                pool.map(
                    lambda i: credit(shop, sale, [{"line_index": 1, "qty_milli": 1000}], client=(a, b)[i % 2]), range(6)
                )
            )
    assert sorted(r.status_code for r in answers).count(201) == 2, [r.text for r in answers]
    notes = shop.get(f"/v1/invoices/{sale}/credit-notes").json()["credit_notes"]
    assert sum(n["total_paise"] for n in notes) == 49000


def test_no_credit_note_for_a_missing_invoice(shop):
    assert credit(shop, new_uuid()).status_code == 404


def test_an_accepted_credit_note_lost_by_a_crash_is_written_by_the_next_request(shop, items, admin):
    from shopbill.services.core.names import COUNTERS_DB

    sale = invoiced_sale(shop, items)
    lost_id = f"credit_note:{new_uuid()}"
    line = admin.get(f"/{shop.db}/invoice:{sale}").json()["lines"][1]
    entry = {
        "_id": lost_id,
        "invoice_id": f"invoice:{sale}",
        "reason": "Returned",
        "lines": [
            {
                "line_index": 1,
                **{
                    k: line[k]
                    for k in ("qty_milli", "amount_paise", "taxable_paise", "cgst_paise", "sgst_paise", "igst_paise")
                },
            }
        ],
        "total_paise": line["amount_paise"],
    }
    assert admin.put(f"/{COUNTERS_DB}/credits:{shop.db}:{sale}", json={"notes": {lost_id: entry}}).status_code == 201
    refused = credit(shop, sale, [{"line_index": 1, "qty_milli": 1}])
    assert refused.status_code == 422  # line 1 is fully credited by the lost note
    written = admin.get(f"/{shop.db}/{lost_id}").json()
    assert written["number"].startswith("0C/") and written["total_paise"] == line["amount_paise"]


def test_credit_note_lookup_of_an_invoice_uses_an_index_not_a_full_scan(shop, admin):
    """Regression: the lookup read every doc of the shop (6.7 s at 20,000 invoices)."""
    plan = admin.post(
        f"/{shop.db}/_explain", json={"selector": {"type": "credit_note", "invoice_id": f"invoice:{new_uuid()}"}}
    ).json()
    assert plan["index"]["ddoc"] == "_design/shopbill-by-invoice", plan


def test_a_credit_note_says_how_the_money_went_back(shop, items):
    sale = invoiced_sale(shop, items)
    body = {"id": new_uuid(), "reason": "Wrong size", "lines": [{"line_index": 1, "qty_milli": 1000}]}
    refunded = shop.api.post(
        f"/v1/invoices/{sale}/credit-notes", json={**body, "refund_method": "upi"}, headers=shop.headers
    )
    assert refunded.status_code == 201 and refunded.json()["refund_method"] == "upi", refunded.text
    kept = credit(shop, sale, [{"line_index": 0, "qty_milli": 500}])
    assert kept.status_code == 201 and "refund_method" not in kept.json()
    bad = shop.api.post(
        f"/v1/invoices/{sale}/credit-notes",
        json={**body, "id": new_uuid(), "refund_method": "barter"},
        headers=shop.headers,
    )
    assert bad.status_code == 422 and "refund_method" in bad.text


def embedded_data(page: str) -> dict:
    """The JSON a print page embeds for its script."""
    found = re.search(r'<script id="invoice-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, page[:300]
    return json.loads(found.group(1))


def test_a_credit_note_prints_as_a_credit_note_of_its_invoice(shop, items):
    sale = invoiced_sale(shop, items)
    note = credit(shop, sale, [{"line_index": 1, "qty_milli": 1000}]).json()
    note_uuid = note["_id"].split(":", 1)[1]
    page = shop.get(f"/v1/invoices/{sale}/credit-notes/{note_uuid}/print")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "private, no-store" and "sha256-" in page.headers["content-security-policy"]
    assert f"<title>Credit Note {note['number']}</title>" in page.text
    data = embedded_data(page.text)
    assert data["credit_note"] == note and data["invoice"]["_id"] == f"invoice:{sale}"
    view = node_view(data)
    assert view["title"] == "Credit Note"
    assert [row[1] for row in view["lines"]] == ["Spark plug"]
    assert dict(view["totals"])["Total"] == "\u20b9 245.00"


def test_a_credit_note_prints_only_under_its_own_invoice(shop, items):
    sale, other_sale = invoiced_sale(shop, items), invoiced_sale(shop, items)
    note_uuid = credit(shop, sale).json()["_id"].split(":", 1)[1]
    for path in (f"{other_sale}/credit-notes/{note_uuid}", f"{sale}/credit-notes/{new_uuid()}"):
        answer = shop.get(f"/v1/invoices/{path}/print")
        assert answer.status_code == 404 and answer.json()["error"] == "not_found", answer.text
