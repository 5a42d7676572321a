"""Invoices over REST: phone-made and server-made alike, sealed, filtered, paged, printable."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.utils.docs import invoice as phone_invoice
from tests.utils.rest_shop import new_shop, new_uuid

PRINT_JS = Path(__file__).resolve().parents[3] / "app" / "print" / "invoice.js"


@pytest.fixture(scope="module")
def shop(api, sms_file):
    return new_shop(api, sms_file)


@pytest.fixture(scope="module")
def item(shop):
    return shop.item(name="தேங்காய் எண்ணெய்", unit="l", hsn="1513", unit_price_paise=9999, gst_rate_bp=1800)


def sell(shop, item, phone="+919812345678"):
    body = {
        "id": new_uuid(),
        "customer_phone": phone,
        "paid_paise": 15000,
        "lines": [{"item_id": item["_id"], "qty_milli": 1500}],
    }
    r = shop.post("/v1/sales", body)
    assert r.status_code == 201, r.text
    return r.json()["invoice"]


def phone_writes(couch, shop, doc):
    creds = shop.login["couchdb"]
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        r = phone.put(f"/{creds['db']}/{doc['_id']}", json=doc)
        assert r.status_code == 201, r.text


def test_phone_created_invoice_is_readable_over_rest(couch, shop):
    doc = phone_invoice(number=f"{shop.login['invoice_series']}/2627/000001")
    phone_writes(couch, shop, doc)
    uuid_ = doc["_id"].split(":")[1]
    r = shop.get(f"/v1/invoices/{uuid_}")
    assert r.status_code == 200, r.text
    assert {k: v for k, v in r.json().items() if k != "_rev"} == doc
    listed = shop.get("/v1/invoices", params={"number": doc["number"]}).json()
    assert [i["_id"] for i in listed["invoices"]] == [doc["_id"]]


def test_no_update_or_delete_endpoint_for_invoices(shop, item):
    uuid_ = sell(shop, item)["sale_id"].split(":")[1]
    for method in ("put", "patch", "delete"):
        r = shop.api.request(method.upper(), f"/v1/invoices/{uuid_}", headers=shop.headers, json={})
        assert r.status_code == 405, (method, r.status_code)


def test_list_filters_and_pages(api, sms_file):
    shop = new_shop(api, sms_file)
    item = shop.item(unit_price_paise=10000, gst_rate_bp=1800)
    made = [sell(shop, item, phone=p) for p in ("+919812345678", "+919812345678", "+919811111111")]
    mine = shop.get("/v1/invoices", params={"customer": "098123 45678"}).json()["invoices"]
    assert {i["_id"] for i in mine} == {made[0]["_id"], made[1]["_id"]}
    day = made[0]["issued_at"][:10]
    assert len(shop.get("/v1/invoices", params={"from": "2000-01-01", "to": "2000-01-02"}).json()["invoices"]) == 0
    ids, cursor = [], None
    while True:
        body = shop.get("/v1/invoices", params={"limit": 2, **({"after": cursor} if cursor else {})}).json()
        ids += [i["_id"] for i in body["invoices"]]
        if (cursor := body["next"]) is None:
            break
    assert sorted(ids) == sorted(i["_id"] for i in made)
    in_range = shop.get("/v1/invoices", params={"from": "2020-04-01", "to": "2099-03-31"}).json()
    assert len(in_range["invoices"]) == 3 and day
    bad = shop.get("/v1/invoices", params={"from": "2026-02-30"})
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "from"
    # regression: year 1 and year 9999 overflowed the time-zone arithmetic (500 under fuzzing)
    for params, field in (({"from": "0001-01-01", "to": "0001-04-01"}, "from"), ({"to": "9999-12-31"}, "to")):
        bad = shop.get("/v1/invoices", params=params)
        assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == field
    bad = shop.get("/v1/invoices", params={"from": "2026-02-03", "to": "2026-02-01"})
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "to"


def test_cross_tenant_invoices_are_refused(api, sms_file, shop, item):
    uuid_ = sell(shop, item)["sale_id"].split(":")[1]
    other = new_shop(api, sms_file)
    assert other.get(f"/v1/invoices/{uuid_}").status_code == 404
    assert other.get(f"/v1/invoices/{uuid_}/print").status_code == 404
    assert other.get("/v1/invoices").json()["invoices"] == []


def test_print_page_embeds_the_invoice_with_rule_46_fields(shop, item):
    invoice = sell(shop, item)
    r = shop.get(f"/v1/invoices/{invoice['sale_id'].split(':')[1]}/print")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    data = json.loads(
        re.search(r'<script id="invoice-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["invoice"] == invoice and data["business"]["gstin"] == "33AAACM1234A1ZF"
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in r.headers["content-security-policy"]
    view = node_view(data)
    assert "GSTIN: 33AAACM1234A1ZF" in view["supplier"] and view["title"] == "Tax Invoice"
    assert view["lines"][0][1] == "தேங்காய் எண்ணெய்" and view["lines"][0][2] == "1513"
    assert dict(view["totals"])["CGST"] == "11.44" and dict(view["totals"])["SGST"] == "11.44"
    assert view["words"] == "Rupees One Hundred Fifty Only"


def test_print_page_cannot_be_broken_out_of_by_a_name(shop):
    item = shop.item(name="</script><script>alert(1)</script>", unit_price_paise=100, gst_rate_bp=0)
    r = shop.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": "+919812345678",
            "paid_paise": 100,
            "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
        },
    )
    page = shop.get(f"/v1/invoices/{r.json()['sale']['_id'].split(':')[1]}/print").text
    assert "alert(1)</script>" not in page and page.count("<script") == 2


def node_eval(expression: str) -> object:
    # Loaded as the browser loads it (a classic script defining `ShopbillPrint` on the global
    # object), whatever module type app/package.json gives .js files.
    code = (
        f"const vm = require('vm'), fs = require('fs'), ctx = {{}};"
        f"vm.runInNewContext(fs.readFileSync({json.dumps(str(PRINT_JS))}, 'utf8'), ctx);"
        f"const p = ctx.ShopbillPrint; console.log(JSON.stringify({expression}));"
    )
    out = subprocess.run(["node", "-e", code], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def node_view(data: dict) -> dict:
    return node_eval(f"p.invoiceView({json.dumps(data)})")  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("paise", "words"),
    [
        (0, "Rupees Zero Only"),
        (64000, "Rupees Six Hundred Forty Only"),
        (1_00_000_05, "Rupees One Lakh and Five Paise Only"),
        (
            12_34_567_850,
            "Rupees One Crore Twenty-Three Lakh Forty-Five Thousand Six Hundred Seventy-Eight and Fifty Paise Only",
        ),
        (10**11, "Rupees One Hundred Crore Only"),
        (10**12 + 99, "Rupees One Thousand Crore and Ninety-Nine Paise Only"),
    ],
)
def test_amount_in_words_uses_indian_numbering(paise, words):
    assert node_eval(f"p.amountInWords({paise})") == words


def test_rupees_use_indian_digit_grouping():
    assert node_eval("[123456789, 100, 5, -150000].map(p.formatRupees)") == [
        "12,34,567.89",
        "1.00",
        "0.05",
        "-1,500.00",
    ]
