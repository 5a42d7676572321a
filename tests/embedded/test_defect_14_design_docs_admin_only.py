"""Defect 14: design-doc JavaScript (views, filters, JS VDUs) runs inside the server process,
unsandboxed. The project only stores Mango VDUs (and a generated JS twin for old CouchDB), and
only admins may write design docs, as in CouchDB; these tests keep it that way."""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, shop  # noqa: F401

EVIL = {"validate_doc_update": "function () { process.exit(1); }"}


def test_member_cannot_write_design_docs(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    r = as_member.put(f"/{shop.db}/_design/evil", json=EVIL)
    assert r.status_code == 403, r.text
    r = as_member.post(f"/{shop.db}", json={"_id": "_design/evil", **EVIL})
    assert r.status_code == 403, r.text
    r = as_member.post(f"/{shop.db}/_bulk_docs", json={"docs": [{"_id": "_design/evil", **EVIL}]})
    assert r.status_code in (201, 403), r.text
    if r.status_code == 201:
        assert r.json()[0]["error"] == "forbidden"
    r = as_member.post(
        f"/{shop.db}/_bulk_docs", json={"new_edits": False, "docs": [{"_id": "_design/evil", "_rev": "1-abc", **EVIL}]}
    )
    assert r.status_code in (201, 403), r.text
    assert admin.get(f"/{shop.db}/_design/evil").status_code == 404
    assert admin.put(f"/{shop.db}/after", json={}).status_code == 201


def test_member_cannot_delete_design_docs(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    r = admin.put(f"/{shop.db}/_design/keep", json={"views": {}})
    assert r.status_code == 201, r.text
    rev = r.json()["rev"]
    r = as_member.delete(f"/{shop.db}/_design/keep", params={"rev": rev})
    assert r.status_code == 403, r.text
    assert admin.get(f"/{shop.db}/_design/keep").status_code == 200
