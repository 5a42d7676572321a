"""Defect 2: a non-admin `DELETE /{db}` killed PouchDB Server, or (rejections ignored) left its
global create/delete promise chain rejected so every later db open hung.

CouchDB: deleting a database is for server admins; the db and the server stay as they were.
"""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, assert_server_alive, shop  # noqa: F401


def test_anonymous_delete_db_is_refused_and_dbs_still_open(admin: httpx.Client, anon: httpx.Client, shop: Shop) -> None:
    assert anon.delete(f"/{shop.db}").status_code == 401
    assert_server_alive(admin)
    assert admin.get(f"/{shop.db}/d1", timeout=10).status_code == 200


def test_member_delete_db_is_refused(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    r = as_member.delete(f"/{shop.db}")
    assert r.status_code in (401, 403), r.text
    assert_server_alive(admin)
    assert admin.get(f"/{shop.db}/d1", timeout=10).status_code == 200
