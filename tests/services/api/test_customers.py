"""GET /v1/customers/{phone}/history and GET /v1/customers, with hand-computed expected values.

Shop A (times in IST):
  X  01 Nov 10:00  invoice 2 × spark plug (2 × 11800)                    = 23600
  X  05 Nov 23:50  incomplete brake pad 22400, paid 10000, later +5000   → outstanding 7400
  X  06 Nov 00:10  invoice 1 × engine oil                                = 5000  (05 Nov in UTC)
  X  10 Nov 12:00  invoice with a wrong total (16900 for 16800): flagged by the auditor
  Y  02 Nov 09:00  invoice 1 × spark plug                                = 11800
X's visits: 01, 05 and 06 Nov (IST) = 3; average gap (06 − 01) / 2 = 2.5 days.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.utils.accounts import bearer, new_phone
from tests.utils.auditor_process import audited, eventually
from tests.utils.checkout import BRAKE_PAD, ENGINE_OIL, SPARK_PLUG, ist, open_shop


@pytest.fixture(scope="module")
def shop(api, sms_file, couch, admin, auditor) -> dict[str, Any]:
    answer, phone = open_shop(api, sms_file, couch)
    x, y = new_phone(), new_phone()
    phone.customer(x, "Anil Kumar", ist("2026-11-01", "09:59"))
    first, _ = phone.checkout(x, ist("2026-11-01", "10:00"), [(SPARK_PLUG, 2000)])
    due, _ = phone.checkout(x, ist("2026-11-05", "23:50"), [(BRAKE_PAD, 1000)], paid=10000)
    phone.payment(due, 5000, ist("2026-11-07", "11:00"))
    late, _ = phone.checkout(x, ist("2026-11-06", "00:10"), [(ENGINE_OIL, 1000)])
    _, bad = phone.checkout(
        x, ist("2026-11-10", "12:00"), [(SPARK_PLUG, 1000), (ENGINE_OIL, 1000)], total_override=16900
    )
    phone.checkout(y, ist("2026-11-02", "09:00"), [(SPARK_PLUG, 1000)])
    eventually(lambda: audited(admin, phone.db))
    return {"login": answer, "phone": phone, "x": x, "y": y, "first": first, "due": due, "late": late, "bad": bad}


def history(api, shop, phone: str, **params: Any) -> dict[str, Any]:
    r = api.get(f"/v1/customers/{phone}/history", params=params, headers=bearer(shop["login"]))
    assert r.status_code == 200, r.text
    return r.json()


def test_history_totals_visits_and_outstanding(api, shop):
    h = history(api, shop, shop["x"])
    assert h["phone"] == shop["x"] and h["name"] == "Anil Kumar"
    assert h["invoices"] == {"count": 2, "total": 28600, "credited": 0, "net": 28600}
    assert h["incomplete"] == {
        "count": 1,
        "total": 22400,
        "paid_at_checkout": 10000,
        "paid_later": 5000,
        "outstanding": 7400,
    }
    assert (h["visits"], h["first_visit"], h["last_visit"]) == (3, "2026-11-01", "2026-11-06")
    assert h["average_days_between_visits"] == 2.5
    assert [(i["name"], i["purchases"], i["qty_milli"], i["amount_paise"]) for i in h["top_items"]] == [
        ("Spark plug", 1, 2000, 23600),
        ("Brake pad", 1, 1000, 22400),
        ("Engine oil", 1, 1000, 5000),
    ]
    assert h["flagged"] == {"count": 1, "ids": [shop["bad"]["_id"]]}
    assert [(p["sale_id"], p["kind"], p["outstanding_paise"]) for p in h["purchases"]] == [
        (shop["late"]["_id"], "invoice", 0),
        (shop["due"]["_id"], "incomplete", 7400),
        (shop["first"]["_id"], "invoice", 0),
    ]
    assert h["purchases"][0]["number"] == "A7/2627/000002" and h["next_cursor"] is None


def test_other_customer_is_separate_and_has_no_average(api, shop):
    h = history(api, shop, shop["y"])
    assert h["name"] is None and h["visits"] == 1 and h["average_days_between_visits"] is None
    assert h["invoices"] == {"count": 1, "total": 11800, "credited": 0, "net": 11800} and h["flagged"]["count"] == 0


@pytest.mark.parametrize("spelling", ["{d}", "0{d}", "+91 {a} {b}", "91{d}", "0{a}-{b}", "(+91) {a}{b}"])
def test_any_common_indian_spelling_reads_the_same_history(api, shop, spelling):
    digits = shop["x"].removeprefix("+91")
    typed = spelling.format(d=digits, a=digits[:5], b=digits[5:])
    assert history(api, shop, typed)["invoices"] == {"count": 2, "total": 28600, "credited": 0, "net": 28600}


def test_unknown_customer_has_an_empty_history(api, shop):
    h = history(api, shop, new_phone())
    assert h["visits"] == 0 and h["purchases"] == [] and h["first_visit"] is None
    assert h["invoices"] == {"count": 0, "total": 0, "credited": 0, "net": 0}


def test_pages_cover_every_purchase_once_newest_first_even_with_equal_times(api, shop, sms_file, couch):
    answer, phone = open_shop(api, sms_file, couch)
    z = new_phone()
    same = ist("2026-11-03", "10:00")
    made = [phone.checkout(z, same, [(ENGINE_OIL, 1000)], paid=0)[0]["_id"] for _ in range(5)]
    made += [phone.checkout(z, ist(f"2026-11-0{d}"), [(ENGINE_OIL, 1000)])[0]["_id"] for d in (1, 4)]
    seen: list[str] = []
    cursor = None
    for page_number in range(10):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        h = history(api, {"login": answer}, z, **params)
        seen += [p["sale_id"] for p in h["purchases"]]
        if page_number == 1:  # a purchase made meanwhile is newer: it does not shift the pages
            phone.checkout(z, ist("2026-11-09"), [(ENGINE_OIL, 1000)])
        cursor = h["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7 and set(seen) == set(made)
    assert seen[0] == made[-1] and seen[-1] == made[-2]  # 04 Nov first, 01 Nov last
    assert seen[1:6] == sorted(made[:5], reverse=True)  # equal times: by sale id, descending


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v1/customers/12345/history", {}, "phone"),
        ("/v1/customers/not-a-phone/history", {}, "phone"),
        ("/v1/customers/9812345678/history", {"limit": 0}, "limit"),
        ("/v1/customers/9812345678/history", {"limit": 101}, "limit"),
        ("/v1/customers/9812345678/history", {"cursor": "garbage!"}, "cursor"),
        ("/v1/customers/9812345678/history", {"cursor": "WyJ4Il0"}, "cursor"),
    ],
)
def test_bad_parameters_get_422_naming_the_field(api, shop, path, params, field):
    r = api.get(path, params=params, headers=bearer(shop["login"]))
    assert r.status_code == 422, r.text
    assert [f["field"] for f in r.json()["fields"]] == [field]


def test_history_needs_a_token(api, shop):
    assert api.get(f"/v1/customers/{shop['x']}/history").status_code == 401


def test_another_business_cannot_read_these_customers(api, shop, sms_file, couch):
    other, _ = open_shop(api, sms_file, couch)
    h = history(api, {"login": other}, shop["x"])
    assert h["visits"] == 0 and h["purchases"] == [] and h["name"] is None
