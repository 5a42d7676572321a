"""One shop's phone opening hundreds of live `_changes` feeds must not starve the other shops.

On the embedded server (one process) 800 continuous feeds of one user made another shop's GET
time out after 60 s. It now caps a user's open live feeds (`[chttpd] max_open_feeds_per_user`,
16 by default; server admins exempt) and answers 429 past it. Apache CouchDB has no such cap
(its per-connection Erlang processes keep other shops answered); in production the public
origin bounds every response to 60 s (couchdb/Caddyfile, `write 60s`).
"""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit

import pytest

from tests.utils.couch import ENGINE, CouchTarget, create_db, create_user, unique_name

CAP = 16  # the embedded server's default
ATTEMPTS = 60
PROMPT = 5.0  # seconds: far above an idle answer, far below the 60 s the feeds used to cost


def shop(admin) -> tuple[str, tuple[str, str]]:
    """A database with one member, and that member's credentials."""
    name, password = unique_name("u"), "feed-cap-password"
    create_user(admin, name, password)
    db = create_db(admin, unique_name("biz"), members=[name])
    assert admin.put(f"/{db}/doc", json={"n": 1}).status_code in (201, 202)
    return db, (name, password)


def open_feed(couch: CouchTarget, db: str, auth: tuple[str, str]) -> tuple[socket.socket, int]:
    """Start a continuous feed on a raw socket (kept open); return it and the status code.

    From `since=0`: the db's first change makes the embedded server send its headers at once."""
    url = urlsplit(couch.url)
    sock = socket.create_connection((url.hostname, url.port), timeout=10)
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    sock.sendall(
        f"GET /{db}/_changes?feed=continuous&since=0&heartbeat=10000 HTTP/1.1\r\n"
        f"Host: {url.netloc}\r\nAuthorization: Basic {token}\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(1024)
        assert chunk, "connection closed before the status line"
        head += chunk
    return sock, int(head.split(b" ", 2)[1])


@contextmanager
def feeds(couch: CouchTarget, db: str, auth: tuple[str, str], count: int) -> Iterator[list[int]]:
    """Open `count` feeds as one user; the statuses, while they stay open."""
    with ExitStack() as stack:
        statuses = []
        for _ in range(count):
            sock, status = open_feed(couch, db, auth)
            stack.callback(sock.close)
            statuses.append(status)
        yield statuses


def answers_promptly(couch: CouchTarget, db: str, auth: tuple[str, str]) -> float:
    """Seconds another shop's member waits for its doc (fails past PROMPT)."""
    with couch.client(auth=auth, timeout=PROMPT) as client:
        started = time.monotonic()
        r = client.get(f"/{db}/doc")
        assert r.status_code == 200, r.text
        return time.monotonic() - started


def test_many_feeds_of_one_shop_leave_the_others_answered(couch, admin):
    db_a, auth_a = shop(admin)
    db_b, auth_b = shop(admin)
    with feeds(couch, db_a, auth_a, ATTEMPTS) as statuses:
        assert set(statuses) <= {200, 429}, statuses
        for _ in range(5):
            assert answers_promptly(couch, db_b, auth_b) < PROMPT
        with couch.client(auth=auth_a, timeout=PROMPT) as client:  # a plain read is no feed
            assert client.get(f"/{db_a}/doc").status_code == 200


@pytest.mark.skipif(ENGINE != "embedded", reason="Apache CouchDB has no per-user feed cap")
def test_feeds_past_the_cap_are_429_and_closing_frees_slots(couch, admin):
    db_a, auth_a = shop(admin)
    with feeds(couch, db_a, auth_a, CAP + 3) as statuses:
        assert statuses == [200] * CAP + [429] * 3
        with couch.client(auth=auth_a) as client:
            r = client.get(f"/{db_a}/_changes", params={"feed": "longpoll", "timeout": "100"})
            assert r.status_code == 429
            assert set(r.json()) == {"error", "reason"}
            assert client.get(f"/{db_a}/_changes").status_code == 200  # a normal feed is not live
        with couch.client(auth=couch.admin_auth) as client:  # admins are exempt
            r = client.get(f"/{db_a}/_changes", params={"feed": "longpoll", "timeout": "100"})
            assert r.status_code == 200
    # the server sees the sockets close, then the slots come back
    deadline = time.monotonic() + 30
    while True:
        with feeds(couch, db_a, auth_a, CAP) as statuses:
            if statuses == [200] * CAP:
                break
        assert time.monotonic() < deadline, statuses
        time.sleep(0.2)
