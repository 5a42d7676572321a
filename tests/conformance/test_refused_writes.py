"""A member's write that only db admins may make is refused, and that is all the services may
rely on: how it is refused differs (any COUCHDB_URL).

Apache CouchDB answers a member's design-doc PUT with 403, but a member's `_security` PUT with
500 `{"error": "error", "reason": "no_majority"}` and a member's `POST _index` (which writes a
design doc) with 500 `error_saving_ddoc`; the embedded server answers 401/403 to all three. Either
way nothing is stored, so the services treat any of 401, 403 and 500 as "refused" here.
"""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, shop  # noqa: F401

REFUSED = (401, 403, 500)
COUCHDB_500_ERRORS = {"error_saving_ddoc", "error"}  # `error` comes with reason `no_majority`


def assert_refused(r: httpx.Response) -> None:
    assert r.status_code in REFUSED, r.text
    if r.status_code == 500:
        body = r.json()
        assert body["error"] in COUCHDB_500_ERRORS, body
        assert body["error"] == "error_saving_ddoc" or body.get("reason") == "no_majority", body


def test_member_design_doc_write_is_refused(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    assert_refused(as_member.put(f"/{shop.db}/_design/mine", json={"views": {}}))
    assert admin.get(f"/{shop.db}/_design/mine").status_code == 404


def test_member_security_write_is_refused(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    before = admin.get(f"/{shop.db}/_security").json()
    assert_refused(as_member.put(f"/{shop.db}/_security", json={"members": {"names": [shop.member[0], "someone"]}}))
    assert admin.get(f"/{shop.db}/_security").json() == before


def test_member_index_creation_is_refused(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    index = {"index": {"fields": ["total"]}, "name": "by-total", "ddoc": "by-total"}
    assert_refused(as_member.post(f"/{shop.db}/_index", json=index))
    names = [i["name"] for i in admin.get(f"/{shop.db}/_index").json()["indexes"]]
    assert "by-total" not in names
    assert admin.get(f"/{shop.db}/_design/by-total").status_code == 404
