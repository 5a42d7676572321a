"""Regression (found by schemathesis): `GET /v1/reports/sales?from=0001-01-01&to=0001-01-01`
answered a plain-text 500 (converting year 1 from the shop's time zone to UTC overflowed).
Dates at the ends of the calendar are now a 422 naming the field; no date query gives a 5xx."""

from __future__ import annotations

import pytest

from tests.utils.accounts import bearer, login, signup


@pytest.fixture(scope="module")
def auth(api, sms_file):
    return bearer(login(api, signup(api, sms_file)))


@pytest.mark.parametrize(
    "start,end,field",
    [("0001-01-01", "0001-01-01", "from"), ("2026-01-01", "9999-12-31", "to"), ("1999-12-31", "2000-01-02", "from")],
)
def test_report_dates_at_the_ends_of_the_calendar_get_422(api, auth, start, end, field):
    r = api.get("/v1/reports/sales", headers=auth, params={"from": start, "to": end})
    assert r.status_code == 422, r.text
    assert [f["field"] for f in r.json()["fields"]] == [field]


@pytest.mark.parametrize("path", ["/v1/invoices", "/v1/reports/sales"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_no_date_query_gives_a_5xx(api, auth, path, day):
    r = api.get(path, headers=auth, params={"from": day, "to": day})
    assert r.status_code < 500, r.text
