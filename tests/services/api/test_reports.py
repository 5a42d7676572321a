"""GET /v1/reports/sales, /incomplete and /series, and GET /v1/customers, with hand-computed values.

The shop (IST, UTC+5:30); prices GST-inclusive: spark plug 11800 (18 %: 10000 + 900 + 900),
brake pad 22400 (12 %: 20000 + 1200 + 1200), engine oil 5000 (0 %).
  #1 X 04 Nov 23:59  invoice  1 spark plug            11800
  #2 X 05 Nov 00:00  invoice  2 brake pads            44800   (still 04 Nov in UTC)
  #3 X 05 Nov 12:00  incomplete 3 oil 15000, paid 5000, later +4000 → owes 6000
  #4 X 05 Nov 13:00  invoice with a wrong total (11900 for 11800): flagged by the auditor
  #5 Y 30 Nov 23:30  invoice  1 oil                    5000
  #6 Y 01 Dec 00:30  invoice  1 spark plug            11800   (30 Nov in UTC)
  #7 Y 31 Oct 23:59  invoice  2 oil                   10000
  #8 Z 20 Nov 10:00  incomplete 1 spark plug 11800, paid 0 → owes 11800
  #9 Z 21 Nov 10:00  incomplete 1 oil 5000, paid 1000, later +4000 → owes 0
November: invoices #1 #2 #5 = 61600 (taxable 55000, CGST 3300, SGST 3300); incomplete #3 #8 #9 =
31800, paid 14000, outstanding 17800; flagged: #4.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.utils.accounts import bearer, new_phone
from tests.utils.auditor_process import audited, eventually
from tests.utils.checkout import BRAKE_PAD, ENGINE_OIL, SPARK_PLUG, Phone, ist, open_shop

ENGINE = "group:00000000-0000-4000-8000-0000000000e1"
BRAKES = "group:00000000-0000-4000-8000-0000000000b1"


def catalogue(phone: Phone) -> None:
    at = ist("2026-10-01")
    for group_id, name, position in ((ENGINE, "Engine parts", 1), (BRAKES, "Brakes", 2)):
        phone.put({**phone.common("group", group_id, at), "name": name, "position": position, "archived": False})
    for item, group_id in ((SPARK_PLUG, ENGINE), (ENGINE_OIL, ENGINE), (BRAKE_PAD, BRAKES)):
        phone.put(
            {
                **phone.common("item", item["item_id"], at),
                "name": item["name"],
                "group_id": group_id,
                "unit_price_paise": item["unit_price_paise"],
                "price_includes_gst": True,
                "unit": item["unit"],
                "gst_rate_bp": item["gst_rate_bp"],
                "archived": False,
            }
        )


@pytest.fixture(scope="module")
def shop(api, sms_file, couch, admin, auditor) -> dict[str, Any]:
    answer, phone = open_shop(api, sms_file, couch)
    catalogue(phone)
    x, y, z = new_phone(), new_phone(), new_phone()
    phone.customer(x, "Anil Kumar", ist("2026-10-01"))
    phone.customer(y, "Meena", ist("2026-10-01"))
    s = {}
    s[1] = phone.checkout(x, ist("2026-11-04", "23:59"), [(SPARK_PLUG, 1000)])
    s[2] = phone.checkout(x, ist("2026-11-05", "00:00"), [(BRAKE_PAD, 2000)])
    s[3] = phone.checkout(x, ist("2026-11-05", "12:00"), [(ENGINE_OIL, 3000)], paid=5000)
    phone.payment(s[3][0], 4000, ist("2026-11-06"))
    s[4] = phone.checkout(x, ist("2026-11-05", "13:00"), [(SPARK_PLUG, 1000)], total_override=11900)
    s[5] = phone.checkout(y, ist("2026-11-30", "23:30"), [(ENGINE_OIL, 1000)])
    s[6] = phone.checkout(y, ist("2026-12-01", "00:30"), [(SPARK_PLUG, 1000)])
    s[7] = phone.checkout(y, ist("2026-10-31", "23:59"), [(ENGINE_OIL, 2000)])
    s[8] = phone.checkout(z, ist("2026-11-20"), [(SPARK_PLUG, 1000)], paid=0)
    s[9] = phone.checkout(z, ist("2026-11-21"), [(ENGINE_OIL, 1000)], paid=1000)
    phone.payment(s[9][0], 4000, ist("2026-11-22"))
    eventually(lambda: audited(admin, phone.db))
    return {"login": answer, "phone": phone, "x": x, "y": y, "z": z, "s": s}


def get(api, shop, path: str, **params: Any) -> dict[str, Any]:
    r = api.get(path, params=params, headers=bearer(shop["login"]))
    assert r.status_code == 200, r.text
    return r.json()


def sales(api, shop, start: str, end: str, group_by: str = "day") -> dict[str, Any]:
    return get(api, shop, "/v1/reports/sales", **{"from": start, "to": end, "group_by": group_by})


def test_november_totals_gst_and_flagged(api, shop):
    r = sales(api, shop, "2026-11-01", "2026-11-30")
    assert r["timezone"] == "Asia/Kolkata"
    t = r["totals"]
    assert (t["count"], t["amount"]) == (6, 93400)
    assert t["invoices"] == {"count": 3, "amount": 61600}
    assert t["incomplete"] == {"count": 3, "amount": 31800, "paid": 14000, "outstanding": 17800}
    assert t["taxable"] == 55000
    assert t["gst"] == {"cgst": 3300, "sgst": 3300, "igst": 0, "total": 6600}
    assert r["flagged"] == {"count": 1, "ids": [shop["s"][4][1]["_id"]]}


def test_days_follow_midnight_in_india_not_utc(api, shop):
    rows = {row["key"]: row for row in sales(api, shop, "2026-11-01", "2026-11-30")["rows"]}
    assert len(rows) == 30 and rows["2026-11-01"]["count"] == 0
    assert (rows["2026-11-04"]["count"], rows["2026-11-04"]["amount"]) == (1, 11800)
    five = rows["2026-11-05"]
    assert (five["count"], five["amount"]) == (2, 59800)
    assert five["invoices"] == {"count": 1, "amount": 44800}
    assert five["incomplete"] == {"count": 1, "amount": 15000, "paid": 9000, "outstanding": 6000}
    assert five["gst"] == {"cgst": 2400, "sgst": 2400, "igst": 0, "total": 4800}
    assert rows["2026-11-30"]["amount"] == 5000  # #6 (00:30 on 1 Dec) is not November here
    assert rows["2026-11-21"]["incomplete"]["outstanding"] == 0


def test_one_day_report_at_the_boundary(api, shop):
    r = sales(api, shop, "2026-11-05", "2026-11-05")
    assert [row["key"] for row in r["rows"]] == ["2026-11-05"]
    assert (r["totals"]["count"], r["totals"]["amount"]) == (2, 59800)
    assert sales(api, shop, "2026-10-31", "2026-10-31")["totals"]["amount"] == 10000


def test_by_month(api, shop):
    rows = sales(api, shop, "2026-10-01", "2026-12-31", "month")["rows"]
    assert [(r["key"], r["count"], r["amount"]) for r in rows] == [
        ("2026-10", 1, 10000),
        ("2026-11", 6, 93400),
        ("2026-12", 1, 11800),
    ]


def test_by_item(api, shop):
    rows = sales(api, shop, "2026-11-01", "2026-11-30", "item")["rows"]
    assert [(r["label"], r["count"], r["qty_milli"], r["amount"]) for r in rows] == [
        ("Brake pad", 1, 2000, 44800),
        ("Engine oil", 3, 5000, 25000),
        ("Spark plug", 2, 2000, 23600),
    ]
    oil = rows[1]
    assert oil["invoices"] == {"count": 1, "amount": 5000}
    assert oil["incomplete"] == {"count": 2, "amount": 20000}
    assert rows[0]["gst"]["total"] == 4800 and rows[0]["key"] == BRAKE_PAD["item_id"]


def test_by_group(api, shop):
    rows = sales(api, shop, "2026-11-01", "2026-11-30", "group")["rows"]
    assert [(r["key"], r["label"], r["amount"]) for r in rows] == [
        (ENGINE, "Engine parts", 48600),
        (BRAKES, "Brakes", 44800),
    ]
    assert rows[0]["gst"] == {"cgst": 900, "sgst": 900, "igst": 0, "total": 1800}


def test_a_shop_in_another_time_zone_gets_its_own_days(api, sms_file, couch, admin, shop):
    answer, phone = open_shop(api, sms_file, couch)
    business = admin.get(f"/{phone.db}/business").json()
    phone.put({**business, "timezone": "Europe/London", "updated_at": "2026-10-01T00:00:00Z"})
    phone.checkout(new_phone(), ist("2026-11-05", "00:00"), [(BRAKE_PAD, 1000)])  # 04 Nov in London
    eventually(lambda: audited(admin, phone.db))
    r = sales(api, {"login": answer}, "2026-11-04", "2026-11-05")
    assert r["timezone"] == "Europe/London"
    assert [(row["key"], row["amount"]) for row in r["rows"]] == [("2026-11-04", 22400), ("2026-11-05", 0)]


def test_incomplete_sales_newest_first_with_outstanding(api, shop):
    r = get(api, shop, "/v1/reports/incomplete")
    assert [(s["sale_id"], s["outstanding_paise"]) for s in r["sales"]] == [
        (shop["s"][8][0]["_id"], 11800),
        (shop["s"][3][0]["_id"], 6000),
    ]
    due = r["sales"][1]
    assert (due["total_paise"], due["paid_at_checkout_paise"], due["paid_later_paise"]) == (15000, 5000, 4000)
    assert due["customer_phone"] == shop["x"] and due["at"] == "2026-11-05T06:30:00Z"
    assert r["next_cursor"] is None
    first = get(api, shop, "/v1/reports/incomplete", limit=1)
    second = get(api, shop, "/v1/reports/incomplete", limit=1, cursor=first["next_cursor"])
    assert [s["sale_id"] for s in first["sales"] + second["sales"]] == [s["sale_id"] for s in r["sales"]]
    assert second["next_cursor"] is None


def test_series_report_of_the_auditor(api, shop, admin):
    r = eventually(
        lambda: (lambda s: s if s["series"] and s["series"][0]["count"] == 6 else None)(
            get(api, shop, "/v1/reports/series")
        )
    )
    assert [(s["series"], s["fy"], s["first"], s["last"], s["missing"]) for s in r["series"]] == [
        ("A7", "2627", 1, 6, 0)
    ]


def test_customers_seen_with_visits_search_and_pages(api, shop):
    r = get(api, shop, "/v1/customers")
    assert [(c["phone"], c["name"], c["visits"], c["last_visit"]) for c in r["customers"]] == [
        (shop["y"], "Meena", 3, "2026-12-01"),
        (shop["z"], None, 2, "2026-11-21"),
        (shop["x"], "Anil Kumar", 2, "2026-11-05"),
    ]
    assert [c["phone"] for c in get(api, shop, "/v1/customers", query="anil")["customers"]] == [shop["x"]]
    digits = shop["z"][-10:]
    typed = f"{digits[:5]} {digits[5:]}"
    assert [c["phone"] for c in get(api, shop, "/v1/customers", query=typed)["customers"]] == [shop["z"]]
    first = get(api, shop, "/v1/customers", limit=2)
    rest = get(api, shop, "/v1/customers", limit=2, cursor=first["next_cursor"])
    assert [c["phone"] for c in first["customers"] + rest["customers"]] == [shop["y"], shop["z"], shop["x"]]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v1/reports/sales", {"to": "2026-11-30"}, "from"),
        ("/v1/reports/sales", {"from": "2026-13-01", "to": "2026-11-30"}, "from"),
        ("/v1/reports/sales", {"from": "2026-11-30", "to": "2026-11-01"}, "to"),
        ("/v1/reports/sales", {"from": "2025-01-01", "to": "2026-11-30"}, "to"),
        ("/v1/reports/sales", {"from": "2026-11-01", "to": "2026-11-30", "group_by": "week"}, "group_by"),
        ("/v1/reports/incomplete", {"limit": 0}, "limit"),
        ("/v1/reports/incomplete", {"cursor": "nope"}, "cursor"),
        ("/v1/customers", {"cursor": "WyJhIl0"}, "cursor"),
        ("/v1/customers", {"limit": 500}, "limit"),
    ],
)
def test_bad_parameters_get_422_naming_the_field(api, shop, path, params, field):
    r = api.get(path, params=params, headers=bearer(shop["login"]))
    assert r.status_code == 422, r.text
    assert [f["field"] for f in r.json()["fields"]] == [field]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/reports/sales?from=2026-11-01&to=2026-11-30",
        "/v1/reports/incomplete",
        "/v1/reports/series",
        "/v1/customers",
    ],
)
def test_reports_need_a_token(api, path):
    assert api.get(path).status_code == 401


def test_another_business_sees_none_of_these_figures(api, shop, sms_file, couch):
    other, _ = open_shop(api, sms_file, couch)
    mine = {"login": other}
    assert sales(api, mine, "2026-11-01", "2026-11-30")["totals"]["amount"] == 0
    assert get(api, mine, "/v1/reports/incomplete")["sales"] == []
    assert get(api, mine, "/v1/reports/series")["series"] == []
    assert get(api, mine, "/v1/customers")["customers"] == []


def test_a_forged_winning_revision_of_an_invoice_does_not_count(api, sms_file, couch, admin, auditor):
    answer, phone = open_shop(api, sms_file, couch)
    customer = new_phone()
    _, original = phone.checkout(customer, ist("2026-11-10"), [(SPARK_PLUG, 1000)])
    eventually(lambda: audited(admin, phone.db))
    # A replicated edit adds a different branch with a longer history: CouchDB makes it the winner.
    forged = {
        **original,
        "total_paise": 100,
        "paid_paise": 100,
        "_rev": f"3-{uuid.uuid4().hex}",
        "_revisions": {"start": 3, "ids": [uuid.uuid4().hex for _ in range(3)]},
    }
    r = phone.client.post(f"/{phone.db}/_bulk_docs", json={"docs": [forged], "new_edits": False})
    assert r.status_code == 201, r.text
    assert admin.get(f"/{phone.db}/{original['_id']}").json()["total_paise"] == 100, "forgery won"
    eventually(lambda: audited(admin, phone.db))
    mine = {"login": answer}
    report = sales(api, mine, "2026-11-10", "2026-11-10")
    assert report["totals"]["invoices"] == {"count": 1, "amount": 11800}
    assert report["flagged"]["count"] == 0  # the finding is on the forged revision, not the sealed one
    history = get(api, mine, f"/v1/customers/{customer}/history")
    assert history["invoices"] == {"count": 1, "total": 11800, "credited": 0, "net": 11800}
    assert history["purchases"][0]["total_paise"] == 11800
