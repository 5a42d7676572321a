"""The embedded server's cap on a user's open live feeds (`[chttpd] max_open_feeds_per_user`,
16 by default): 429 past it, admins exempt, a closed feed frees its slot. Apache CouchDB has no
such setting (tests/security/test_feed_cap.py states what holds on both engines)."""

from __future__ import annotations

import time

from tests.utils.feeds import feeds, shop

CAP = 16  # the embedded server's default


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
