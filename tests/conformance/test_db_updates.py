"""`GET /_db_updates` (any COUCHDB_URL): server admins learn which databases were created,
updated and deleted, with `feed=normal|longpoll|continuous` and `since`.

CouchDB writes these events in batches (up to ~0.5 s late), so every wait here is polled with a
bound several times that.
"""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from tests.utils.access import new_user
from tests.utils.couch import CouchTarget, unique_name

BOUND_S = 10.0


@pytest.fixture
def db_updates(admin: httpx.Client) -> httpx.Client:
    """The admin client, once `_db_updates` works: a fresh CouchDB node answers 404 until the
    `_global_changes` database exists, so it is created here as provisioning does."""
    r = admin.get("/_db_updates", params={"since": "now", "feed": "normal"})
    if r.status_code == 404:
        assert admin.put("/_global_changes").status_code in (201, 202, 412)
        r = admin.get("/_db_updates", params={"since": "now", "feed": "normal"})
    assert r.status_code == 200, r.text
    return admin


def events_for(admin: httpx.Client, db: str, since) -> set[str]:
    params = {"feed": "normal"} | ({"since": since} if since is not None else {})
    results = admin.get("/_db_updates", params=params).json()["results"]
    return {u["type"] for u in results if u["db_name"] == db}


def wait_for_events(admin: httpx.Client, db: str, wanted: set[str], since=None) -> None:
    deadline = time.monotonic() + BOUND_S
    while not wanted <= events_for(admin, db, since):
        assert time.monotonic() < deadline, f"{wanted} for {db} not in _db_updates after {BOUND_S} s"
        time.sleep(0.1)


def test_admin_only(couch: CouchTarget, admin: httpx.Client, anon: httpx.Client) -> None:
    assert anon.get("/_db_updates").status_code == 401
    with couch.client(auth=new_user(admin)) as user:
        assert user.get("/_db_updates").status_code in (401, 403)


def test_created_updated_deleted(db_updates: httpx.Client) -> None:
    admin = db_updates
    db = unique_name("events")
    assert admin.put(f"/{db}").status_code in (201, 202)
    wait_for_events(admin, db, {"created"})
    assert admin.put(f"/{db}/d1", json={}).status_code == 201
    wait_for_events(admin, db, {"created", "updated"})
    assert admin.delete(f"/{db}").status_code in (200, 202)
    wait_for_events(admin, db, {"created", "updated", "deleted"})


def test_since_skips_older_events(db_updates: httpx.Client) -> None:
    admin = db_updates
    old, new = unique_name("old"), unique_name("new")
    assert admin.put(f"/{old}").status_code in (201, 202)
    wait_for_events(admin, old, {"created"})
    since = admin.get("/_db_updates", params={"feed": "normal"}).json()["last_seq"]
    assert admin.put(f"/{new}").status_code in (201, 202)
    wait_for_events(admin, new, {"created"}, since=since)
    assert events_for(admin, old, since) == set()


def test_longpoll_answers_on_the_next_event(db_updates: httpx.Client, couch: CouchTarget) -> None:
    admin = db_updates
    since = admin.get("/_db_updates", params={"feed": "normal"}).json()["last_seq"]
    answer: dict = {}

    def poll() -> None:
        with couch.client(auth=couch.admin_auth, timeout=BOUND_S * 2) as client:
            answer["body"] = client.get(
                "/_db_updates", params={"feed": "longpoll", "since": since, "timeout": int(BOUND_S * 1000)}
            ).json()

    waiter = threading.Thread(target=poll, daemon=True)
    waiter.start()
    db = unique_name("polled")
    assert admin.put(f"/{db}").status_code in (201, 202)
    waiter.join(timeout=BOUND_S * 2)
    assert {(u["db_name"], u["type"]) for u in answer["body"]["results"]} >= {(db, "created")}


def test_continuous_feed_streams_events(db_updates: httpx.Client, couch: CouchTarget) -> None:
    admin = db_updates
    since = admin.get("/_db_updates", params={"feed": "normal"}).json()["last_seq"]
    db = unique_name("streamed")
    assert admin.put(f"/{db}").status_code in (201, 202)
    seen: list[dict] = []
    deadline = time.monotonic() + BOUND_S
    with (
        couch.client(auth=couch.admin_auth, timeout=BOUND_S * 2) as client,
        client.stream(
            "GET",
            "/_db_updates",
            params={"feed": "continuous", "since": since, "heartbeat": 200, "timeout": int(BOUND_S * 1000)},
        ) as r,
    ):
        assert r.status_code == 200
        for line in r.iter_lines():
            assert time.monotonic() < deadline, f"no created event for {db} within {BOUND_S} s"
            if line.strip():
                seen.append(json.loads(line))
                if (seen[-1].get("db_name"), seen[-1].get("type")) == (db, "created"):
                    break
    assert all("seq" in event for event in seen)
