"""Live `_changes` feeds opened as a shop's phone would, for the feed-cap tests."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit

from tests.utils.couch import CouchTarget, create_db, create_user, unique_name


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
