"""The server's credit-note lines match the golden cases the phone's twin (app/src/returns.ts,
app/src/returns.test.ts) is tested with: a return made on the phone credits what the REST path
would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shopbill.services.billing.credit_notes import credit_lines

CASES = json.loads(
    (Path(__file__).resolve().parents[2] / "validators" / "examples" / "credit_lines.json").read_text("utf-8")
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["invoice"]["supply"]))
def test_credit_lines_of_the_golden_cases(case: dict[str, Any]) -> None:
    notes: dict[str, dict[str, Any]] = {}
    for step in case["steps"]:
        lines = credit_lines(case["invoice"], step["requested"], notes)
        assert lines == step["lines"]
        notes[f"credit_note:{len(notes)}"] = {"lines": lines}
