"""`_security` as CouchDB 3 applies it (any COUCHDB_URL): new databases are admin-only, members
and db admins are taken from `_security`, and a change applies to the very next request."""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, new_user, shop  # noqa: F401
from tests.utils.couch import CouchTarget, unique_name


def test_new_db_is_admin_only(couch: CouchTarget, admin: httpx.Client, anon: httpx.Client) -> None:
    name = unique_name("fresh")
    assert admin.put(f"/{name}").status_code in (201, 202)
    assert admin.put(f"/{name}/d1", json={}).status_code == 201
    assert anon.get(f"/{name}/d1").status_code == 401
    with couch.client(auth=new_user(admin)) as user:
        assert user.get(f"/{name}/d1").status_code == 403
        assert user.put(f"/{name}/d2", json={}).status_code == 403


def test_members_read_security_but_cannot_change_it(as_member: httpx.Client, shop: Shop) -> None:
    r = as_member.get(f"/{shop.db}/_security")
    assert r.status_code == 200
    assert shop.member[0] in r.json()["members"]["names"]
    r = as_member.put(f"/{shop.db}/_security", json={"members": {"names": ["someone"]}})
    # CouchDB: 500 no_majority; refused either way (test_refused_writes.py)
    assert r.status_code in (401, 403, 500), r.text
    assert shop.member[0] in as_member.get(f"/{shop.db}/_security").json()["members"]["names"]


def test_removed_member_is_refused_at_once(as_member: httpx.Client, admin: httpx.Client, shop: Shop) -> None:
    assert as_member.get(f"/{shop.db}/d1").status_code == 200
    security = admin.get(f"/{shop.db}/_security").json()
    security["members"] = {"names": [], "roles": ["_admin"]}
    assert admin.put(f"/{shop.db}/_security", json=security).status_code == 200
    assert as_member.get(f"/{shop.db}/d1").status_code == 403


def test_member_by_role(couch: CouchTarget, admin: httpx.Client) -> None:
    name, password = unique_name("roled"), "role-pass-123"
    r = admin.put(
        f"/_users/org.couchdb.user:{name}",
        json={"name": name, "password": password, "roles": ["shop_x"], "type": "user"},
    )
    assert r.status_code in (201, 202)
    db = unique_name("byrole")
    assert admin.put(f"/{db}").status_code in (201, 202)
    security = {"admins": {"roles": ["_admin"]}, "members": {"roles": ["shop_x"]}}
    assert admin.put(f"/{db}/_security", json=security).status_code == 200
    with couch.client(auth=(name, password)) as user:
        assert user.put(f"/{db}/d1", json={}).status_code == 201


def test_db_admin_may_write_design_docs_and_security(couch: CouchTarget, admin: httpx.Client) -> None:
    owner = new_user(admin)
    db = unique_name("owned")
    assert admin.put(f"/{db}").status_code in (201, 202)
    security = {"admins": {"names": [owner[0]]}, "members": {"roles": ["_admin"]}}
    assert admin.put(f"/{db}/_security", json=security).status_code == 200
    with couch.client(auth=owner) as client:
        assert client.put(f"/{db}/_design/v", json={"views": {}}).status_code == 201
        assert client.put(f"/{db}/_security", json=security).status_code == 200
        assert client.delete(f"/{db}").status_code in (401, 403)
