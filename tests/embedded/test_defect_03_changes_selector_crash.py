"""Defect 3: a member's `POST /{db}/_changes?filter=_selector` killed PouchDB Server (it looked up
`_design/_selector`, then an unheard 'error' event threw).

CouchDB: the selector comes from the POST body and filters the feed.
"""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, assert_server_alive, shop  # noqa: F401


def test_selector_filter_answers_filtered_changes(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    assert admin.put(f"/{shop.db}/d2", json={"total": 5}).status_code == 201
    r = as_member.post(f"/{shop.db}/_changes", params={"filter": "_selector"}, json={"selector": {"_id": "d2"}})
    assert r.status_code == 200, r.text
    assert [row["id"] for row in r.json()["results"]] == ["d2"]
    assert_server_alive(admin)


def test_unknown_filter_is_an_error_not_a_crash(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    r = as_member.get(f"/{shop.db}/_changes", params={"filter": "nope/missing"})
    assert 400 <= r.status_code < 500, r.text
    assert_server_alive(admin)
