"""Defect 1: a non-admin `PUT /{db}` killed PouchDB Server (`db.info is not a function`).

CouchDB: creating a database is for server admins; anonymous 401, a signed-in user 401/403.
"""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, assert_server_alive, shop  # noqa: F401
from tests.utils.couch import unique_name


def test_anonymous_put_db_is_refused_and_server_lives(admin: httpx.Client, anon: httpx.Client) -> None:
    name = unique_name("newdb")
    assert anon.put(f"/{name}").status_code == 401
    assert_server_alive(admin)
    assert admin.get(f"/{name}").status_code == 404


def test_member_put_db_is_refused_and_server_lives(admin: httpx.Client, as_member: httpx.Client) -> None:
    name = unique_name("newdb")
    r = as_member.put(f"/{name}")
    assert r.status_code in (401, 403), r.text
    assert_server_alive(admin)
    assert admin.get(f"/{name}").status_code == 404
