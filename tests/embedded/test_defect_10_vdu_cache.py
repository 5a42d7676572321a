"""Defect 10: VDU design docs were re-read (allDocs) and re-compiled (eval) on every write.

The embedded server now compiles a database's VDUs once and keeps them until one of its design
docs changes. Observable over HTTP: the admin-only `/_stats` counters (`shopbill.vdu_*`) and
the fact that a design doc change applies to the very next write.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.utils.couch import CouchTarget, create_db, create_user, unique_name
from tests.utils.vdu import (
    db_with_vdu,
    js_vdu,
    mango_vdu,
    put_design,
    replicate_write,
    rev_hash,
    vdu_stats,
)

VDUS = {
    "js": js_vdu("function (newDoc) { if (!newDoc.type) { throw({forbidden: 'no type'}); } }"),
    "mango": mango_vdu({"newDoc.type": {"$exists": True}}),
}


pytestmark = pytest.mark.usefixtures("pouchdb_server")


def delta(before: dict[str, int], after: dict[str, int], name: str) -> int:
    return after[name] - before[name]


@pytest.mark.parametrize("language", sorted(VDUS))
def test_many_writes_read_and_compile_design_docs_once(admin: httpx.Client, language: str) -> None:
    db = db_with_vdu(admin, VDUS[language], prefix="d10")
    before = vdu_stats(admin)
    assert admin.put(f"/{db}/first", json={"type": "x"}).status_code == 201
    for i in range(10):
        assert admin.put(f"/{db}/doc{i}", json={"type": "x"}).status_code == 201
        assert admin.post(f"/{db}", json={}).status_code == 403
    bulk = admin.post(f"/{db}/_bulk_docs", json={"docs": [{"type": "x"} for _ in range(20)]})
    assert all(row.get("ok") for row in bulk.json())
    after = vdu_stats(admin)
    assert delta(before, after, "vdu_design_doc_reads") == 1
    assert delta(before, after, "vdu_compiles") == 1
    assert delta(before, after, "vdu_validations") >= 41


def test_concurrent_first_writes_share_one_load(couch: CouchTarget, admin: httpx.Client) -> None:
    db = db_with_vdu(admin, VDUS["mango"], prefix="d10")
    before = vdu_stats(admin)

    def write(i: int) -> int:
        with couch.client(auth=couch.admin_auth) as client:
            return client.put(f"/{db}/c{i}", json={"type": "x"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(write, range(16))) == {201}
    assert delta(before, vdu_stats(admin), "vdu_design_doc_reads") == 1


@pytest.mark.parametrize("language", sorted(VDUS))
def test_design_doc_change_applies_to_the_next_write(admin: httpx.Client, language: str) -> None:
    db = db_with_vdu(admin, VDUS[language], prefix="d10")
    assert admin.put(f"/{db}/a", json={"type": "x"}).status_code == 201
    put_design(admin, db, "rules", mango_vdu({"newDoc.kind": {"$exists": True}}))
    assert admin.put(f"/{db}/b", json={"type": "x"}).status_code == 403
    assert admin.put(f"/{db}/b", json={"kind": "x"}).status_code == 201
    put_design(admin, db, "more", js_vdu("function (d) { if (d.kind === 'no') throw({forbidden: 'no'}); }"))
    assert admin.put(f"/{db}/c", json={"kind": "no"}).status_code == 403
    rev = admin.get(f"/{db}/_design/more").json()["_rev"]
    assert admin.delete(f"/{db}/_design/more", params={"rev": rev}).status_code == 200
    assert admin.put(f"/{db}/c", json={"kind": "no"}).status_code == 201


def test_design_doc_arriving_by_bulk_docs_or_replication_applies(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, None, prefix="d10")
    assert admin.put(f"/{db}/a", json={}).status_code == 201
    r = admin.post(f"/{db}/_bulk_docs", json={"docs": [{"_id": "_design/rules", **VDUS["mango"]}]})
    assert r.json()[0]["ok"], r.text
    assert admin.put(f"/{db}/b", json={}).status_code == 403
    replicated = {"_id": "_design/extra", "_rev": f"1-{rev_hash()}", **VDUS["js"]}
    replicated["validate_doc_update"] = "function (d) { if (d.type === 'no') throw({forbidden: 'no'}); }"
    assert replicate_write(admin, db, [replicated]).json() == []
    assert admin.put(f"/{db}/c", json={"type": "no"}).status_code == 403


def test_recreated_database_does_not_inherit_old_vdus(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, VDUS["mango"], prefix="d10")
    assert admin.put(f"/{db}/a", json={}).status_code == 403
    assert admin.delete(f"/{db}").status_code == 200
    create_db(admin, db)
    assert admin.put(f"/{db}/a", json={}).status_code == 201


def test_stats_are_admin_only(couch: CouchTarget, anon: httpx.Client) -> None:
    assert anon.get("/_stats").status_code == 401
    name, password = unique_name("u"), "pw-" + rev_hash()
    with couch.client(auth=couch.admin_auth) as admin:
        create_user(admin, name, password)
    with couch.client(auth=(name, password)) as user:
        assert user.get("/_stats").status_code == 403
