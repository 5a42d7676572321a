"""How a document's URL names it (any COUCHDB_URL): CouchDB decodes a `+` in the path as a space,
redirects `_design%2Fname` to `_design/name`, and takes a PUT's doc id from the URL, never from
the body's `_id`."""

from __future__ import annotations

import httpx

from tests.utils.couch import create_db, unique_name
from tests.utils.vdu import mango_vdu, put_design


def fresh_db(admin: httpx.Client) -> str:
    return create_db(admin, unique_name("paths"))


def test_plus_in_a_path_is_a_space(admin: httpx.Client) -> None:
    db = fresh_db(admin)
    r = admin.put(f"/{db}/item:a+b", json={"n": 1})
    assert r.status_code == 201, r.text
    assert r.json()["id"] == "item:a b"
    assert admin.get(f"/{db}/item:a%20b").json()["n"] == 1
    assert admin.get(f"/{db}/item:a+b").json()["_id"] == "item:a b"
    # a literal plus must be escaped
    assert admin.get(f"/{db}/item:a%2Bb").status_code == 404
    assert admin.put(f"/{db}/item:c%2Bd", json={}).json()["id"] == "item:c+d"


def test_escaped_design_slash_is_redirected(admin: httpx.Client) -> None:
    db = fresh_db(admin)
    put_design(admin, db, "reports", {"views": {}})
    r = admin.get(f"/{db}/_design%2Freports", follow_redirects=False)
    assert r.status_code == 301
    assert r.headers["location"].endswith(f"/{db}/_design/reports")
    assert admin.get(f"/{db}/_design%2Freports", follow_redirects=True).json()["_id"] == "_design/reports"


def test_put_takes_the_id_from_the_url(admin: httpx.Client) -> None:
    db = fresh_db(admin)
    r = admin.put(f"/{db}/d", json={"_id": "other", "n": 1})
    assert r.status_code == 201, r.text
    assert r.json()["id"] == "d"
    assert admin.get(f"/{db}/d").json()["n"] == 1
    assert admin.get(f"/{db}/other").status_code == 404


def test_vdu_judges_the_id_of_the_url(admin: httpx.Client) -> None:
    """A VDU sees the doc that would be stored: the URL's id, not the body's."""
    db = fresh_db(admin)
    put_design(admin, db, "rules", mango_vdu({"newDoc._id": {"$beginsWith": "item:"}}))
    assert admin.put(f"/{db}/d", json={"_id": "item:1"}).status_code == 403
    assert admin.put(f"/{db}/item:1", json={"_id": "d"}).status_code == 201
    assert admin.get(f"/{db}/item:1").status_code == 200
    assert admin.get(f"/{db}/d").status_code == 404
