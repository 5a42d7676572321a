"""One shop's phone opening hundreds of live `_changes` feeds must not starve the other shops.

On the embedded server (one process) 800 continuous feeds of one user made another shop's GET
time out after 60 s. It now caps a user's open live feeds (`[chttpd] max_open_feeds_per_user`,
16 by default; server admins exempt) and answers 429 past it. Apache CouchDB has no such cap
(its per-connection Erlang processes keep other shops answered); in production the public
origin bounds every response to 60 s (couchdb/Caddyfile, `write 60s`). The cap itself is the
embedded server's own code: tests/embedded/test_feed_cap.py.
"""

from __future__ import annotations

import time

from tests.utils.couch import CouchTarget
from tests.utils.feeds import feeds, shop

ATTEMPTS = 60
PROMPT = 5.0  # seconds: far above an idle answer, far below the 60 s the feeds used to cost


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
