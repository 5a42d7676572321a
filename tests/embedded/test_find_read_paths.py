"""The embedded server's faster read paths answer exactly as before.

- A multi-key `_all_docs` (used by every `_find` to fetch its docs) reads each key directly
  instead of one range read per key: rows keep the keys' order, a missing key is `not_found`, a
  deleted doc has `deleted: true` and a null doc, `conflicts=true` lists the conflicts.
- `_find` lists indexes from the design docs' revisions and reads a design doc again only at a
  new revision: an index created, changed or deleted after a query is seen by the next query.
"""

from __future__ import annotations

import httpx

from tests.utils.couch import create_db, unique_name


def test_multi_key_all_docs_rows_for_present_missing_deleted_and_conflicted_docs(admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("keys"))
    assert admin.put(f"/{db}/a", json={"n": 1}).status_code == 201
    rev_b = admin.put(f"/{db}/b", json={"n": 2}).json()["rev"]
    assert admin.delete(f"/{db}/b", params={"rev": rev_b}).status_code == 200
    branches = [{"_id": "c", "_rev": f"1-{digit * 32}", "n": 3} for digit in "af"]
    r = admin.post(f"/{db}/_bulk_docs", json={"docs": branches, "new_edits": False})
    assert r.status_code == 201, r.text

    r = admin.post(
        f"/{db}/_all_docs",
        params={"include_docs": "true", "conflicts": "true"},
        json={"keys": ["c", "missing", "b", "a", "a"]},
    )
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert [row["key"] for row in rows] == ["c", "missing", "b", "a", "a"]
    winner = admin.get(f"/{db}/c", params={"conflicts": "true"}).json()
    assert rows[0]["doc"] == winner and rows[0]["value"] == {"rev": winner["_rev"]}
    assert winner["_conflicts"]
    assert rows[1] == {"key": "missing", "error": "not_found"}
    assert rows[2]["id"] == "b" and rows[2]["value"]["deleted"] is True and rows[2]["doc"] is None
    assert rows[3]["doc"]["n"] == 1 and rows[3] == rows[4]

    plain = admin.post(f"/{db}/_all_docs", json={"keys": ["a", "missing"]}).json()["rows"]
    assert "doc" not in plain[0] and plain[1] == {"key": "missing", "error": "not_found"}
    assert admin.post(f"/{db}/_all_docs", json={"keys": []}).json()["rows"] == []


def used_index(response: httpx.Response) -> bool:
    """Whether `_find` answered from the index it was told to use (a server refuses a missing
    one with 400 `no_usable_index`, or falls back with a warning)."""
    return response.status_code == 200 and "warning" not in response.json()


def test_find_sees_an_index_created_changed_or_deleted_after_a_query(admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("idx"))
    docs = [{"_id": f"d{i}", "kind": "k", "n": i, "m": 9 - i} for i in range(10)]
    assert admin.post(f"/{db}/_bulk_docs", json={"docs": docs}).status_code == 201
    query = {"selector": {"kind": "k", "n": {"$gt": 6}}, "use_index": "ix-ddoc"}
    assert not used_index(admin.post(f"/{db}/_find", json=query))  # no such index yet

    index = {"index": {"fields": ["kind", "n"]}, "ddoc": "ix-ddoc", "name": "ix"}
    assert admin.post(f"/{db}/_index", json=index).status_code == 200
    found = admin.post(f"/{db}/_find", json=query)
    assert used_index(found) and [d["_id"] for d in found.json()["docs"]] == ["d7", "d8", "d9"]

    ddoc = admin.get(f"/{db}/_design/ix-ddoc").json()  # the same ddoc, another index in it
    ddoc["views"]["ix"]["map"]["fields"] = {"kind": "asc", "m": "asc"}
    ddoc["views"]["ix"]["options"]["def"]["fields"] = ["kind", "m"]
    assert admin.put(f"/{db}/_design/ix-ddoc", json=ddoc).status_code == 201
    listed = admin.get(f"/{db}/_index").json()["indexes"]
    assert [i["def"]["fields"] for i in listed if i["name"] == "ix"] == [[{"kind": "asc"}, {"m": "asc"}]]

    rev = admin.get(f"/{db}/_design/ix-ddoc").json()["_rev"]
    assert admin.delete(f"/{db}/_design/ix-ddoc", params={"rev": rev}).status_code == 200
    assert [i["name"] for i in admin.get(f"/{db}/_index").json()["indexes"]] == ["_all_docs"]
    assert not used_index(admin.post(f"/{db}/_find", json=query))
