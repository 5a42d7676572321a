"""Invoice numbering against the golden vectors the JavaScript client is tested with too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shopbill.validators.numbering import (
    DEFAULT_TIME_ZONE,
    InvoiceNumber,
    NumberingError,
    financial_year,
    format_invoice_number,
    is_server_series,
    next_invoice_number,
    parse_invoice_number,
)
from shopbill.validators.numbering.series import credit_note_series, device_series

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "validators" / "numbering" / "vectors.json").read_text())


@pytest.mark.parametrize("case", VECTORS["financial_year"], ids=lambda c: c["issued_at"])
def test_financial_year(case: dict[str, Any]) -> None:
    assert financial_year(case["issued_at"], case.get("time_zone", DEFAULT_TIME_ZONE)) == case["fy"]


@pytest.mark.parametrize("case", VECTORS["next_invoice_number"], ids=lambda c: f"{c['series']}@{c['issued_at']}")
def test_next_invoice_number(case: dict[str, Any]) -> None:
    args = (case["series"], case["issued_at"], case["last_counters"], case.get("time_zone", DEFAULT_TIME_ZONE))
    if "error" in case:
        with pytest.raises(NumberingError, match=case["error"]):
            next_invoice_number(*args)
    else:
        number = str(next_invoice_number(*args))
        assert number == case["number"]
        assert len(number) <= 16


@pytest.mark.parametrize("case", VECTORS["parse_invoice_number"], ids=lambda c: repr(c["number"]))
def test_parse_invoice_number(case: dict[str, Any]) -> None:
    parts = parse_invoice_number(case["number"])
    assert parts == (InvoiceNumber(**case["parts"]) if case["parts"] else None)
    if parts is not None:
        assert str(parts) == case["number"]


def test_a_year_of_numbers_is_consecutive_and_restarts_on_1_april() -> None:
    counters: dict[str, int] = {}
    issued = []
    for day in range(1, 32):
        for stamp in (f"2026-03-{day:02d}T05:00:00Z", f"2026-03-{day:02d}T19:00:00Z"):
            number = next_invoice_number("B2", stamp, counters)
            counters[number.fy] = number.counter
            issued.append(str(number))
    assert issued[:2] == ["B2/2526/000001", "B2/2526/000002"]
    # 31 March 19:00 UTC is 1 April 00:30 in India: the new year's first number
    assert issued[-2:] == ["B2/2526/000061", "B2/2627/000001"]
    assert len(set(issued)) == len(issued)


def test_format_refuses_a_bool_counter() -> None:
    with pytest.raises(NumberingError):
        format_invoice_number("A7", "2526", True)


@pytest.mark.parametrize("case", VECTORS["credit_note_series"], ids=lambda c: repr(c["series"]))
def test_credit_note_series(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(NumberingError, match=case["error"]):
            credit_note_series(case["series"])
    else:
        assert credit_note_series(case["series"]) == case["credit_series"]


@pytest.mark.parametrize("generation", [1, 35, 36, 1295, 1296, 46655])
def test_a_credit_note_series_is_never_an_invoice_or_server_series(generation: int) -> None:
    series = device_series(generation)
    credit = credit_note_series(series)
    assert len(credit) == 4 and len(series) <= 3 and not is_server_series(credit)
    assert parse_invoice_number(f"{credit}/2627/000001") is not None
