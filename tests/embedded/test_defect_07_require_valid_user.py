"""Defect 7: a db without `_security` members was public and anonymous `_all_dbs` worked.

The embedded server behaves like CouchDB 3 with `require_valid_user = true`: anonymous requests
get 401 everywhere, GET / included, except the Fauxton files (`/_utils`) and `/_session`, so a
human can still log in; server endpoints are admin-only; a db without members is admin-only.
"""

from __future__ import annotations

import httpx
import pytest

from tests.utils.access import new_user
from tests.utils.couch import CouchTarget, unique_name


@pytest.fixture
def bare_db(admin: httpx.Client) -> str:
    """A database created by an admin with no `_security` at all."""
    name = unique_name("bare")
    assert admin.put(f"/{name}").status_code in (201, 202)
    assert admin.put(f"/{name}/d1", json={"secret": True}).status_code == 201
    return name


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/_all_dbs"),
        ("GET", "/_uuids"),
        ("GET", "/_users/_all_docs"),
        ("GET", "/{db}"),
        ("GET", "/{db}/d1"),
        ("PUT", "/{db}/d2"),
        ("GET", "/{db}/_all_docs"),
        ("GET", "/{db}/_changes"),
        ("POST", "/{db}/_find"),
    ],
)
def test_anonymous_gets_401(anon: httpx.Client, bare_db: str, method: str, path: str) -> None:
    body = {"selector": {}} if path.endswith("_find") else ({} if method == "PUT" else None)
    r = anon.request(method, path.format(db=bare_db), json=body)
    assert r.status_code == 401, r.text
    assert r.json()["error"] == "unauthorized"


def test_login_stays_reachable_for_anonymous(anon: httpx.Client, admin: httpx.Client, couch: CouchTarget) -> None:
    assert anon.get("/_utils/").status_code == 200
    assert anon.get("/_session").json()["userCtx"]["name"] is None
    name, password = new_user(admin)
    r = anon.post("/_session", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    assert "AuthSession" in r.cookies


def test_db_without_members_is_admin_only(couch: CouchTarget, admin: httpx.Client, bare_db: str) -> None:
    with couch.client(auth=new_user(admin)) as user:
        assert user.get(f"/{bare_db}/d1").status_code == 403
        assert user.put(f"/{bare_db}/d2", json={}).status_code == 403
        assert user.get("/_all_dbs").status_code in (401, 403)
    assert admin.get(f"/{bare_db}/d2").status_code == 404
