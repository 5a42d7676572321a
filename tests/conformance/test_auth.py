"""Authentication and authorization as CouchDB 3 does them (any COUCHDB_URL).

Anonymous callers get 401, signed-in callers without the rights 403; `_all_dbs`, creating and
deleting databases and writing design docs are for admins; a user may edit its own `_users` doc
but not its roles; a changed password ends the old credentials.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.utils.access import Shop, as_member, as_outsider, new_user, shop  # noqa: F401
from tests.utils.couch import CouchTarget, unique_name


def test_anonymous_gets_401_on_a_members_db(anon: httpx.Client, shop: Shop) -> None:
    for method, path in [("GET", "d1"), ("GET", "_all_docs"), ("PUT", "d2"), ("GET", "_changes")]:
        r = anon.request(method, f"/{shop.db}/{path}", json={} if method == "PUT" else None)
        assert r.status_code == 401, (method, path, r.text)
        assert r.json()["error"] == "unauthorized"


def test_non_member_gets_403(as_outsider: httpx.Client, shop: Shop) -> None:
    for method, path in [("GET", "d1"), ("GET", "_all_docs"), ("PUT", "d2"), ("GET", "_changes")]:
        r = as_outsider.request(method, f"/{shop.db}/{path}", json={} if method == "PUT" else None)
        assert r.status_code == 403, (method, path, r.text)
        assert r.json()["error"] == "forbidden"


def test_member_reads_and_writes(as_member: httpx.Client, shop: Shop) -> None:
    assert as_member.get(f"/{shop.db}/d1").json()["total"] == 100
    assert as_member.put(f"/{shop.db}/d2", json={"total": 1}).status_code == 201


def test_all_dbs_is_admin_only(anon: httpx.Client, as_member: httpx.Client, admin: httpx.Client) -> None:
    assert anon.get("/_all_dbs").status_code == 401
    assert as_member.get("/_all_dbs").status_code in (401, 403)
    assert admin.get("/_all_dbs").status_code == 200


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_only_admins_create_or_delete_dbs(
    method: str, anon: httpx.Client, as_member: httpx.Client, admin: httpx.Client, shop: Shop
) -> None:
    target = unique_name("created") if method == "PUT" else shop.db
    assert anon.request(method, f"/{target}").status_code == 401
    assert as_member.request(method, f"/{target}").status_code in (401, 403)
    assert admin.get(f"/{target}").status_code == (404 if method == "PUT" else 200)


def test_user_cannot_give_itself_roles(couch: CouchTarget, admin: httpx.Client) -> None:
    name, password = new_user(admin)
    path = f"/_users/org.couchdb.user:{name}"
    with couch.client(auth=(name, password)) as me:
        doc = me.get(path).json()
        r = me.put(path, json={**doc, "roles": ["dbowner"]})
        assert r.status_code == 403, r.text
        assert me.get("/_session").json()["userCtx"]["roles"] == []


def test_user_cannot_read_other_user_docs(couch: CouchTarget, admin: httpx.Client) -> None:
    me, other = new_user(admin), new_user(admin)
    with couch.client(auth=me) as client:
        assert client.get(f"/_users/org.couchdb.user:{other[0]}").status_code in (403, 404)
        assert client.get("/_users/_all_docs").status_code in (401, 403)


def test_design_doc_writes_are_admin_only(as_member: httpx.Client, admin: httpx.Client, shop: Shop) -> None:
    r = as_member.put(f"/{shop.db}/_design/mine", json={"views": {}})
    assert r.status_code == 403, r.text
    assert admin.get(f"/{shop.db}/_design/mine").status_code == 404
    assert admin.put(f"/{shop.db}/_design/mine", json={"views": {}}).status_code == 201


def test_changed_password_ends_old_credentials(couch: CouchTarget, admin: httpx.Client, shop: Shop) -> None:
    name, password = shop.member
    path = f"/_users/org.couchdb.user:{name}"
    doc = admin.get(path).json()
    assert admin.put(path, json={**doc, "password": "rotated-password"}).status_code in (201, 202)
    deadline = time.monotonic() + 5  # CouchDB's auth cache follows _users within ~20 ms
    with couch.client(auth=(name, password)) as old:
        while old.get(f"/{shop.db}/d1").status_code != 401:
            assert time.monotonic() < deadline, "old password still accepted after 5 s"
            time.sleep(0.05)


LOCKED = "Account is temporarily locked due to multiple authentication failures"


def _refused(client: httpx.Client, path: str) -> tuple[int, str]:
    r = client.get(path)
    return r.status_code, r.json().get("reason", "")


def test_five_refused_passwords_lock_the_right_one_out_until_the_password_changes(
    couch: CouchTarget, admin: httpx.Client
) -> None:
    """`[chttpd_auth_lockout]` (mode enforce, threshold 5): failures count per client address,
    user and salt; from the 6th try on even the right password gets 403. A new password has a
    new salt, so it starts from nothing. Basic auth and `POST /_session` count alike."""
    name, password = new_user(admin, "locked")
    with couch.client(auth=(name, "wrong")) as wrong:
        for _ in range(4):
            assert _refused(wrong, "/_session")[0] == 401
    with couch.client() as anon:
        assert anon.post("/_session", json={"name": name, "password": "wrong"}).status_code == 401
        locked = anon.post("/_session", json={"name": name, "password": password})
        assert locked.status_code == 403 and locked.json()["reason"] == LOCKED
    with couch.client(auth=(name, password)) as right:
        assert _refused(right, "/_session") == (403, LOCKED)
    path = f"/_users/org.couchdb.user:{name}"
    doc = admin.get(path).json()
    assert admin.put(path, json={**doc, "password": "a-new-password"}).status_code in (201, 202)
    deadline = time.monotonic() + 5
    with couch.client(auth=(name, "a-new-password")) as renewed:
        while renewed.get("/_session").json().get("userCtx", {}).get("name") != name:
            assert time.monotonic() < deadline, "the new password is still locked out after 5 s"
            time.sleep(0.05)


def test_an_unknown_name_is_locked_out_at_session_login_only(couch: CouchTarget) -> None:
    """For a name with no `_users` doc, basic auth answers 401 before any password check (no
    count), while `POST /_session` checks against an empty salt and counts."""
    name = unique_name("nobody")
    with couch.client(auth=(name, "wrong")) as probe:
        assert [_refused(probe, "/_session")[0] for _ in range(6)] == [401] * 6
    with couch.client() as anon:
        tries = [anon.post("/_session", json={"name": name, "password": "wrong"}) for _ in range(6)]
        assert [r.status_code for r in tries] == [401] * 5 + [403]
        assert tries[-1].json()["reason"] == LOCKED


def test_behind_a_proxy_each_forwarded_address_has_its_own_count(couch: CouchTarget, admin: httpx.Client) -> None:
    """A connection from a loopback or private address is a proxy's: the last X-Forwarded-For
    entry is the client. One phone's refused passwords never lock another phone out."""
    name, password = new_user(admin, "proxied")
    with couch.client(auth=(name, "wrong")) as wrong:
        for _ in range(5):
            assert wrong.get("/_session", headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.1"}).status_code == 401
    with couch.client(auth=(name, password)) as right:
        assert right.get("/_session", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 403
        assert right.get("/_session", headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 200
