"""Defect 8: a signed-in user who is not a member got 401 where CouchDB answers 403 (401 means
"sign in", so clients would retry credentials that are in fact valid)."""

from __future__ import annotations

import httpx
import pytest

from tests.utils.access import Shop, as_outsider, shop  # noqa: F401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/{db}/d1"),
        ("GET", "/{db}"),
        ("PUT", "/{db}/d9"),
        ("GET", "/{db}/_all_docs"),
        ("GET", "/{db}/_changes"),
        ("POST", "/{db}/_bulk_docs"),
    ],
)
def test_non_member_gets_403_forbidden(as_outsider: httpx.Client, shop: Shop, method: str, path: str) -> None:
    body = {"docs": [{"_id": "x"}]} if path.endswith("_bulk_docs") else ({} if method == "PUT" else None)
    r = as_outsider.request(method, path.format(db=shop.db), json=body)
    assert r.status_code == 403, r.text
    assert r.json()["error"] == "forbidden"
