"""A member's `$regex` must not stall the server for every shop (ReDoS).

`^(a+)+$` against a 31-character name froze the embedded server (one process, JavaScript's
backtracking RegExp) for 18.6 s, for every shop. Now it matches `$regex` in linear time
(couchdb/embedded/lib/linear-regex.js), in `_find`, `_changes` selectors and Mango VDUs, and
answers 400 for patterns it cannot run so (back-references, lookbehind, huge programs). Apache
CouchDB runs each request in its own Erlang process and its `re` gives up past a match limit
(no match). What a client can rely on with both engines, and what this test states: other
shops are answered promptly while such a query runs, the query itself ends with no 5xx, and a
pattern that cannot match in time is a non-match (or a 400), never a hang.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from tests.utils.couch import CouchTarget, create_db, create_user, unique_name

EVIL = "^(a+)+$"
NAME = "a" * 30 + "!"  # 31 characters: 2^30 backtracking paths, no match
PROMPT = 5.0  # seconds for another shop's read: far below the 18.6 s it took


def shop(admin: httpx.Client, name: str) -> tuple[str, tuple[str, str]]:
    """A database with one member and a customer named `name`; the member's credentials."""
    user, password = unique_name("u"), "regex-dos-password"
    create_user(admin, user, password)
    db = create_db(admin, unique_name("biz"), members=[user])
    assert admin.put(f"/{db}/doc", json={"name": name}).status_code in (201, 202)
    return db, (user, password)


def in_background(couch: CouchTarget, auth: tuple[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST `body` to `path` in a thread; the result dict gets `status`, `body` and `seconds`."""
    result: dict[str, Any] = {}

    def call() -> None:
        started = time.monotonic()
        with couch.client(auth=auth, timeout=120) as client:
            r = client.post(path, json=body)
        result.update(status=r.status_code, body=r.json(), seconds=time.monotonic() - started)

    thread = threading.Thread(target=call)
    thread.start()
    result["thread"] = thread
    return result


def assert_others_answered(couch: CouchTarget, db: str, auth: tuple[str, str], while_running: dict[str, Any]) -> None:
    with couch.client(auth=auth, timeout=PROMPT) as client:
        for _ in range(5):
            started = time.monotonic()
            assert client.get(f"/{db}/doc").status_code == 200
            assert time.monotonic() - started < PROMPT
            time.sleep(0.1)
    while_running["thread"].join(60)
    assert not while_running["thread"].is_alive()
    assert while_running["status"] < 500, while_running


def test_a_catastrophic_regex_in_find_leaves_other_shops_answered(couch, admin):
    db_a, auth_a = shop(admin, NAME)
    db_b, auth_b = shop(admin, "B's customer")
    query = in_background(couch, auth_a, f"/{db_a}/_find", {"selector": {"name": {"$regex": EVIL}}})
    time.sleep(0.2)
    assert_others_answered(couch, db_b, auth_b, query)
    assert query["status"] == 200 and query["body"]["docs"] == [], query


def test_a_catastrophic_regex_in_a_changes_selector_leaves_other_shops_answered(couch, admin):
    db_a, auth_a = shop(admin, NAME)
    db_b, auth_b = shop(admin, "B's customer")
    path = f"/{db_a}/_changes?filter=_selector"
    feed = in_background(couch, auth_a, path, {"selector": {"name": {"$regex": EVIL}}})
    time.sleep(0.2)
    assert_others_answered(couch, db_b, auth_b, feed)
    assert feed["status"] == 200 and feed["body"]["results"] == [], feed


def test_regexes_still_match_and_unrunnable_ones_are_never_5xx(couch, admin):
    db_a, auth_a = shop(admin, NAME)
    with couch.client(auth=auth_a) as client:
        for pattern, found in (("^a{30}!$", 1), ("^(?!b)a+!", 1), ("(a|aa)+b", 0), ("\\bA", 0)):
            r = client.post(f"/{db_a}/_find", json={"selector": {"name": {"$regex": pattern}}})
            assert r.status_code == 200 and len(r.json()["docs"]) == found, (pattern, r.text)
        for pattern in ("^(a)\\1", "(?<=a)!", "(", "a{0,50000}"):
            r = client.post(f"/{db_a}/_find", json={"selector": {"name": {"$regex": pattern}}})
            assert r.status_code in (200, 400), (pattern, r.status_code, r.text)
