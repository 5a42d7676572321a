"""The shop's UPI ID (`upi_id`, a virtual payment address) in the business doc and the invoice's
`seller` snapshot: the Python checks and the installed validation design docs (Mango and JS) give
the same verdict on well-formed and malformed addresses."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest

from shopbill.validators.checks import explain
from tests.validators.test_schemas import example
from tests.validators.test_vdu_server import server_target, target, vdu_db  # noqa: F401 (fixtures)

GOOD = ["murugan.spares@okaxis", "9876543210@ybl", "shop_1-a@paytm", "ab@oksbi.bank"]
BAD = [
    "murugan spares@okaxis",  # a space
    "murugan@@okaxis",
    "murugan@okaxis@ybl",
    "9876543210",  # a phone number without a handle
    "@okaxis",
    "a@okaxis",  # a one-character name
    ".shop@okaxis",  # the name starts with punctuation
    "shop@1bank",  # the handle starts with a digit
    "shop@ok_axis",  # `_` is not in a handle
    "shop@okaxis\n",
    "दुकान@okaxis",
    "shop@" + "a" * 65,
]


def with_upi(doc_type: str, upi_id: str) -> dict[str, Any]:
    doc = example(doc_type)
    if doc_type == "business":
        doc["upi_id"] = upi_id
    else:
        doc["seller"]["upi_id"] = upi_id
    return doc


def upi_problems(doc: dict[str, Any]) -> list[str]:
    return [p["field"] for p in explain(doc) if "upi_id" in p["field"]]


@pytest.mark.parametrize("doc_type", ["business", "invoice"])
def test_python_checks_accept_good_and_name_upi_id_on_bad(doc_type: str) -> None:
    for vpa in GOOD:
        assert explain(with_upi(doc_type, vpa)) == [], vpa
    for vpa in BAD:
        assert upi_problems(with_upi(doc_type, vpa)), vpa


def fresh_id(doc: dict[str, Any], n: int) -> None:
    """A new invoice id (and its sale's, which it must match): invoices are written once."""
    uuid = f"00000000-0000-4000-8000-{n:012x}"
    doc["_id"], doc["sale_id"] = f"invoice:{uuid}", f"sale:{uuid}"


@pytest.mark.parametrize("doc_type", ["business", "invoice"])
def test_the_validation_design_doc_agrees(admin: httpx.Client, vdu_db: str, doc_type: str) -> None:  # noqa: F811
    rev = None
    for n, vpa in enumerate(GOOD + BAD):
        doc = with_upi(doc_type, vpa)
        if doc_type == "invoice":
            fresh_id(doc, n)
        elif rev:
            doc["_rev"] = rev
        r = admin.put(f"/{vdu_db}/{quote(doc['_id'], safe='')}", json=doc)
        if vpa in GOOD:
            assert r.status_code == 201, (vpa, r.text)
            rev = r.json()["rev"]
        else:
            assert r.status_code == 403, (vpa, r.text)
