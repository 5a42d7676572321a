"""Business A's phone, with its own valid CouchDB credentials, attacks everything that is not its
own business data. Every attempt is refused and nothing changes (the `unchanged` fixture compares
every revision and `_security` of both shops, `_users`, `_replicator` and the services' dbs).

Extends tests/services/api/test_tenant_isolation.py (reads) with writes, every route of B's db,
system endpoints, replication, and injection-shaped ids and selectors.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from shopbill.services.core.names import SERVICE_DBS
from tests.security.conftest import PRIVATE_ID
from tests.utils.access import refused_rules_write

pytestmark = pytest.mark.usefixtures("unchanged")
DENIED = (401, 403)

PRIVATE = quote(PRIVATE_ID, safe="")


def test_b_database_refuses_every_read_route(as_a, shop_b):
    db = shop_b.db
    for path in (
        "",
        f"/{PRIVATE}",
        "/business",
        "/_all_docs",
        "/_all_docs?include_docs=true",
        "/_changes",
        "/_changes?feed=longpoll&timeout=100",
        "/_security",
        "/_design_docs",
        "/_local_docs",
        "/_index",
        f"/{PRIVATE}?revs_info=true",
        f"/{PRIVATE}?open_revs=all",
    ):
        r = as_a.get(f"/{db}{path}")
        assert r.status_code in DENIED, (path, r.status_code, r.text)
        assert "123456" not in r.text
    for path, body in (
        ("/_find", {"selector": {"_id": {"$gt": None}}}),
        ("/_find", {"selector": {"$or": [{"type": "note"}, {"_id": {"$regex": "."}}]}}),
        ("/_explain", {"selector": {}}),
        ("/_all_docs", {"keys": [PRIVATE_ID]}),
        ("/_bulk_get", {"docs": [{"id": PRIVATE_ID}]}),
        ("/_revs_diff", {PRIVATE_ID: ["1-x"]}),
        ("/_changes?filter=_selector", {"selector": {}}),
    ):
        r = as_a.post(f"/{db}{path}", json=body)
        assert r.status_code in DENIED, (path, r.status_code, r.text)
        assert "123456" not in r.text


def test_b_database_refuses_every_write_route(as_a, admin, shop_b):
    db = shop_b.db
    rev = admin.get(f"/{db}/{PRIVATE}").json()["_rev"]
    attempts = [
        ("PUT", f"/{PRIVATE}", {"json": {"_rev": rev, "text": "overwritten"}}),
        ("DELETE", f"/{PRIVATE}?rev={rev}", {}),
        ("PUT", "/new-doc", {"json": {"a": 1}}),
        ("POST", "", {"json": {"a": 1}}),
        ("POST", "/_bulk_docs", {"json": {"docs": [{"_id": "x1", "a": 1}]}}),
        (
            "POST",
            "/_bulk_docs",
            {
                "json": {
                    "new_edits": False,
                    "docs": [{"_id": PRIVATE_ID, "_rev": "9-ffffffffffffffffffffffffffffffff", "text": "forced"}],
                }
            },
        ),
        ("PUT", "/_local/checkpoint", {"json": {"a": 1}}),
        ("PUT", "/_design/evil", {"json": {"validate_doc_update": {}}}),
        ("PUT", "/_security", {"json": {"members": {"names": [], "roles": []}}}),
        ("POST", "/_index", {"json": {"index": {"fields": ["text"]}}}),
        ("POST", "/_compact", {"json": {}}),
        ("POST", "/_purge", {"json": {PRIVATE_ID: [rev]}}),
        ("DELETE", "", {}),
    ]
    for method, path, kwargs in attempts:
        r = as_a.request(method, f"/{db}{path}", **kwargs)
        assert r.status_code in DENIED, (method, path, r.status_code, r.text)


def test_users_database_cannot_be_read_listed_or_written(as_a, shop_a, shop_b):
    other = quote(f"org.couchdb.user:{shop_b.auth[0]}", safe="")
    own = quote(f"org.couchdb.user:{shop_a.auth[0]}", safe="")
    assert as_a.get(f"/_users/{other}").status_code in (*DENIED, 404)
    for path in ("/_users", "/_users/_all_docs", "/_users/_changes", "/_users/_design_docs"):
        assert as_a.get(path).status_code in DENIED, path
    r = as_a.post("/_users/_find", json={"selector": {"name": {"$gt": None}}})
    assert r.status_code in DENIED
    # B's user cannot be overwritten (its password reset to one A knows) or deleted.
    takeover = {
        "_id": f"org.couchdb.user:{shop_b.auth[0]}",
        "name": shop_b.auth[0],
        "type": "user",
        "roles": [],
        "password": "attacker-knows-this",
    }
    assert as_a.put(f"/_users/{other}", json=takeover).status_code in (*DENIED, 409)
    # Nor can A mint a new user, or give its own user roles (server admin, B's members).
    minted = {
        "_id": "org.couchdb.user:mallory",
        "name": "mallory",
        "type": "user",
        "roles": ["_admin"],
        "password": "mallory-pass-1",
    }
    assert as_a.put("/_users/org.couchdb.user:mallory", json=minted).status_code in (*DENIED, 409)
    me = as_a.get(f"/_users/{own}")
    if me.status_code == 200:  # CouchDB lets a user read its own doc; roles stay closed
        escalated = {**me.json(), "roles": ["_admin", shop_b.auth[0]]}
        assert as_a.put(f"/_users/{own}", json=escalated).status_code in DENIED


@pytest.mark.parametrize("db", [*SERVICE_DBS, "_replicator", "_global_changes"])
def test_service_and_system_databases_refuse_reads_and_writes(as_a, db):
    assert as_a.get(f"/{db}").status_code in (*DENIED, 404)
    assert as_a.get(f"/{db}/_all_docs").status_code in (*DENIED, 404)
    assert as_a.post(f"/{db}/_find", json={"selector": {}}).status_code in (*DENIED, 404)
    assert as_a.get(f"/{db}/_changes").status_code in (*DENIED, 404)
    r = as_a.put(f"/{db}/attacker-doc", json={"account_id": "mine", "state": "active"})
    assert r.status_code in (*DENIED, 404)


def test_replication_cannot_copy_b_anywhere(as_a, shop_a, shop_b, couch):
    job = {"source": f"{couch.url}/{shop_b.db}", "target": f"{couch.url}/{shop_a.db}"}
    assert as_a.post("/_replicate", json=job).status_code in DENIED
    doc = {**job, "_id": "steal-b", "user_ctx": {"name": "admin", "roles": ["_admin"]}}
    assert as_a.put("/_replicator/steal-b", json=doc).status_code in (*DENIED, 404)
    assert as_a.post("/_replicator", json=doc).status_code in (*DENIED, 404)


def test_server_administration_is_refused(as_a):
    for path in (
        "/_all_dbs",
        "/_config",
        "/_config/admins",
        "/_node/_local/_config",
        "/_active_tasks",
        "/_db_updates",
        "/_membership",
        "/_stats",
        "/_scheduler/jobs",
    ):
        assert as_a.get(path).status_code in (*DENIED, 404), path
    for path in ("/_config/admins/mallory", "/_node/_local/_config/admins/mallory"):
        assert as_a.put(path, json="mallory-pass-1").status_code in (*DENIED, 404), path
    assert as_a.put("/_config/couch_httpd_auth/require_valid_user", json="false").status_code in (*DENIED, 404)
    for name in ("new_db_by_phone", "biz_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "svc_accounts2"):
        assert as_a.put(f"/{name}").status_code in DENIED
    assert as_a.post("/_restart").status_code in (*DENIED, 404)


def test_own_database_rules_cannot_be_changed(as_a, shop_a):
    db = shop_a.db
    ddocs = as_a.get(f"/{db}/_all_docs", params={"startkey": '"_design/"', "endkey": '"_design0"'})
    assert ddocs.status_code == 200 and ddocs.json()["rows"], "the validation design doc is there"
    for row in ddocs.json()["rows"]:
        path = f"/{db}/_design/{quote(row['id'].removeprefix('_design/'), safe='')}"
        rev = row["value"]["rev"]
        assert refused_rules_write(as_a.put(path, json={"_rev": rev, "language": "query", "validate_doc_update": {}}))
        assert refused_rules_write(as_a.delete(path, params={"rev": rev}))
    assert as_a.post(f"/{db}/_bulk_docs", json={"docs": [{"_id": "_design/evil", "validate_doc_update": {}}]}).json()[
        0
    ].get("error") in ("forbidden", "unauthorized")
    for security in (
        {"members": {"names": [], "roles": []}},
        {"admins": {"names": [shop_a.auth[0]]}, "members": {"names": [shop_a.auth[0]]}},
    ):
        assert refused_rules_write(as_a.put(f"/{db}/_security", json=security))
    assert as_a.delete(f"/{db}").status_code in DENIED


@pytest.mark.parametrize(
    "doc_id",
    [
        f"../{'x'}",
        "..%2Fsvc_accounts%2Fphone:+919812345678",
        "_users",
        "_design%2Fevil",
        "_all_docs",
        "_config",
        "_security",
        "/etc/passwd",
        "' OR '1'='1",
        '{"$gt": ""}',
    ],
)
def test_injection_shaped_ids_never_escape_the_own_database(as_a, shop_a, doc_id):
    r = as_a.put(f"/{shop_a.db}/{quote(doc_id, safe='')}", json={"type": "group"})
    # refused by a route guard or by the rules (the VDU wants typed ids); never another 5xx
    assert r.status_code in (400, 401, 403, 404, 405) or doc_id == "_security" and refused_rules_write(r), (
        doc_id,
        r.status_code,
        r.text,
    )


def test_injection_shaped_selectors_only_see_the_own_database(as_a, shop_a):
    for selector in (
        {"_id": {"$gt": None}},
        {"$where": "1==1"},
        {"_id": {"$regex": ".*"}},
        {"$or": [{"_id": {"$exists": True}}, {"db": "svc_accounts"}]},
        {"type": {"$in": [{"$ne": None}]}},
        {"_id": {"$gt": {"$gt": ""}}},
    ):
        r = as_a.post(f"/{shop_a.db}/_find", json={"selector": selector})
        assert r.status_code in (200, 400), (selector, r.status_code, r.text)
        if r.status_code == 200:
            assert all(not d["_id"].startswith(("phone:", "account:", "org.couchdb")) for d in r.json()["docs"])
            assert "123456" not in r.text
