"""Set-up and checks of the server side of a sync, shared by the sync tests."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import httpx

from tests.utils.couch import create_db, create_user, unique_name
from tests.utils.sync_client import Remote


def provision_business(admin: httpx.Client, url: str) -> Remote:
    """A fresh `biz_<id>` database readable and writable only by its new device user."""
    user = unique_name("device")
    password = secrets.token_urlsafe(18)
    create_user(admin, user, password)
    db = create_db(admin, unique_name("biz"), members=[user])
    return Remote(url=url, db=db, username=user, password=password)


def doc_count(admin: httpx.Client, db: str) -> int:
    """The number of live docs in `db`."""
    return int(admin.get(f"/{db}").raise_for_status().json()["doc_count"])


def change_password(admin: httpx.Client, user: str, password: str) -> None:
    """What a login on another phone does to this phone's CouchDB user: a new password."""
    doc_id = f"/_users/org.couchdb.user:{user}"
    doc = admin.get(doc_id).raise_for_status().json()
    r = admin.put(doc_id, json={**doc, "password": password})
    assert r.status_code in (201, 202), r.text


def wait_until_refused(remote: Remote, *, bound_s: float = 10.0) -> None:
    """Poll until the server refuses `remote`'s credentials (401): a server may follow a
    password change a little late (DOMAIN.md: ~20 ms on CouchDB), more so under load."""
    deadline = time.monotonic() + bound_s
    with httpx.Client(base_url=remote.url, auth=(remote.username, remote.password)) as old:
        while old.get(f"/{remote.db}").status_code != 401:
            assert time.monotonic() < deadline, f"old password still accepted after {bound_s} s"
            time.sleep(0.05)


def server_docs(admin: httpx.Client, db: str) -> dict[str, dict]:
    """Every non-design doc of `db`, as stored on the server, with conflicts listed."""
    r = admin.get(f"/{db}/_all_docs", params={"include_docs": "true", "conflicts": "true"})
    r.raise_for_status()
    rows = r.json()["rows"]
    return {row["id"]: row["doc"] for row in rows if not row["id"].startswith("_design/")}


def canonical(doc: dict[str, Any]) -> str:
    """A doc as JSON with sorted keys: equal strings mean byte-equal documents (1 != 1.0)."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def assert_arrived_once(
    server: dict[str, dict[str, Any]], sent: list[dict[str, Any]], local: dict[str, dict[str, Any]]
) -> None:
    """Every doc in `sent` is on the server exactly as written, with the phone's revision,
    as its first and only revision, with no conflicts; and nothing else is there."""
    assert sorted(server) == sorted(doc["_id"] for doc in sent)
    for doc in sent:
        rev = local[doc["_id"]]["_rev"]
        assert rev.startswith("1-"), doc["_id"]
        assert canonical(server[doc["_id"]]) == canonical({**doc, "_rev": rev}), doc["_id"]
