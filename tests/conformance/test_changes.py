"""`_changes` as CouchDB answers it (any COUCHDB_URL): normal, longpoll, continuous, and the
`_selector` filter (whose POST once crashed PouchDB Server)."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from tests.utils.access import Shop, as_member, assert_server_alive, shop  # noqa: F401
from tests.utils.couch import CouchTarget


def update_seq(admin: httpx.Client, db: str):
    return admin.get(f"/{db}").json()["update_seq"]


def test_normal_feed_lists_docs(as_member: httpx.Client, shop: Shop) -> None:
    body = as_member.get(f"/{shop.db}/_changes").json()
    assert [row["id"] for row in body["results"]] == ["d1"]
    assert "last_seq" in body


def test_selector_filter(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    assert admin.put(f"/{shop.db}/s1", json={"kind": "sale"}).status_code == 201
    assert admin.put(f"/{shop.db}/i1", json={"kind": "item"}).status_code == 201
    r = as_member.post(f"/{shop.db}/_changes", params={"filter": "_selector"}, json={"selector": {"kind": "sale"}})
    assert r.status_code == 200, r.text
    assert [row["id"] for row in r.json()["results"]] == ["s1"]
    assert_server_alive(admin)


def test_doc_ids_filter(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    assert admin.put(f"/{shop.db}/d2", json={}).status_code == 201
    r = as_member.post(f"/{shop.db}/_changes", params={"filter": "_doc_ids"}, json={"doc_ids": ["d2"]})
    assert r.status_code == 200, r.text
    assert [row["id"] for row in r.json()["results"]] == ["d2"]


def test_longpoll_answers_when_a_doc_arrives(couch: CouchTarget, admin: httpx.Client, shop: Shop) -> None:
    since = update_seq(admin, shop.db)
    answer: dict = {}

    def poll() -> None:
        with couch.client(auth=shop.member, timeout=30) as client:
            answer["body"] = client.get(
                f"/{shop.db}/_changes",
                params={"feed": "longpoll", "since": json.dumps(since) if not isinstance(since, str) else since},
            ).json()

    waiter = threading.Thread(target=poll, daemon=True)
    waiter.start()
    time.sleep(0.3)
    assert "body" not in answer, "longpoll answered before any change"
    assert admin.put(f"/{shop.db}/arrived", json={}).status_code == 201
    waiter.join(timeout=10)
    assert [row["id"] for row in answer["body"]["results"]] == ["arrived"]


def test_continuous_feed_streams_and_times_out(couch: CouchTarget, admin: httpx.Client, shop: Shop) -> None:
    """Without a heartbeat, `timeout` ends a continuous feed idle that long, with its last_seq."""
    lines: list[dict] = []
    deadline = time.monotonic() + 10  # the feed must end itself after 1 s without changes
    with (
        couch.client(auth=shop.member, timeout=30) as client,
        client.stream("GET", f"/{shop.db}/_changes", params={"feed": "continuous", "timeout": 1000}) as r,
    ):
        assert r.status_code == 200
        for line in r.iter_lines():
            assert time.monotonic() < deadline, "continuous feed ignored its timeout"
            if line.strip():
                lines.append(json.loads(line))
    assert [line["id"] for line in lines if "id" in line] == ["d1"]
    assert "last_seq" in lines[-1]


def test_eventsource_feed(couch: CouchTarget, shop: Shop) -> None:
    text = ""
    deadline = time.monotonic() + 10
    with (
        couch.client(auth=shop.member, timeout=30) as client,
        client.stream("GET", f"/{shop.db}/_changes", params={"feed": "eventsource", "timeout": 1000}) as r,
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        for chunk in r.iter_text():
            text += chunk
            assert time.monotonic() < deadline, "eventsource feed ignored its timeout"
    events = [json.loads(line[len("data: ") :]) for line in text.splitlines() if line.startswith("data: {")]
    assert [event["id"] for event in events] == ["d1"]


HEARTBEAT = {"continuous": b"\n", "longpoll": b"\n", "eventsource": b"event: heartbeat\ndata: \n\n"}


@pytest.mark.parametrize("feed", sorted(HEARTBEAT))
def test_heartbeat_overrides_timeout(couch: CouchTarget, admin: httpx.Client, shop: Shop, feed: str) -> None:
    """A `heartbeat` keeps a live feed open past its `timeout` (CouchDB then ignores `timeout`),
    writing a heartbeat whenever the feed is idle that long; the next change still arrives."""
    received = b""
    with (
        couch.client(auth=shop.member, timeout=30) as client,
        client.stream(
            "GET", f"/{shop.db}/_changes", params={"feed": feed, "since": "now", "heartbeat": 200, "timeout": 500}
        ) as r,
    ):
        assert r.status_code == 200
        chunks = r.iter_raw()
        opened = time.monotonic()
        while time.monotonic() - opened < 2.0:  # four times the timeout
            received += next(chunks)  # a heartbeat comes every 0.2 s, so this never waits long
        assert received.count(HEARTBEAT[feed]) >= 5, received
        assert admin.put(f"/{shop.db}/late", json={}).status_code == 201
        deadline = time.monotonic() + 10
        while b'"late"' not in received:
            assert time.monotonic() < deadline, "the feed stopped streaming changes"
            received += next(chunks)
