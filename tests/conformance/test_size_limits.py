"""Size limits of couchdb/local.ini, as Apache CouchDB answers them: `max_document_size` (4 MB)
refuses a larger document with 413 `document_too_large`, `_local` docs included, and
`max_http_request_size` (64 MB) a larger body with 413.

Found by an outside attack: the embedded server stored a 100 MB `_local` doc (RSS 834 MB).
"""

from __future__ import annotations

import httpx
import pytest

from tests.utils.couch import create_db, unique_name

BIG = "x" * (4 * 1024 * 1024 + 1024)


@pytest.fixture
def db(admin: httpx.Client) -> str:
    name = create_db(admin, unique_name("size"))
    yield name
    admin.delete(f"/{name}")


@pytest.mark.parametrize("doc_id", ["big", "_local/big"])
def test_document_over_max_document_size(admin: httpx.Client, db: str, doc_id: str) -> None:
    r = admin.put(f"/{db}/{doc_id}", json={"blob": BIG})
    assert r.status_code == 413, r.text
    assert r.json()["error"] == "document_too_large"
    assert admin.get(f"/{db}/{doc_id}").status_code == 404
    small = admin.put(f"/{db}/{doc_id}", json={"blob": "x" * 1000})
    assert small.status_code == 201, small.text


def test_bulk_docs_over_max_document_size(admin: httpx.Client, db: str) -> None:
    r = admin.post(f"/{db}/_bulk_docs", json={"docs": [{"_id": "big", "blob": BIG}]})
    assert r.status_code in (201, 413), r.text
    assert admin.get(f"/{db}/big").status_code == 404


def test_body_over_max_http_request_size(admin: httpx.Client, db: str) -> None:
    body = b'{"blob": "' + b"x" * (64 * 1024 * 1024 + 16) + b'"}'
    try:
        r = admin.put(f"/{db}/huge", content=body, headers={"Content-Type": "application/json"})
    except httpx.HTTPError:  # the server may close the connection while the body is sent
        pass
    else:
        assert r.status_code == 413, r.text
    assert admin.get(f"/{db}/huge").status_code == 404
