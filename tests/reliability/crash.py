"""What the fault tests share: a phone's request in the background, bounded polls, the phone's
retry loop, and a login interrupted by a kill -9 right after its credential rotation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.utils.accounts import user_path
from tests.utils.live_accounts import live_login, live_signup
from tests.utils.live_services import LiveServices

DEADLINE = 30.0  # the goals are ~1 s; every poll is bounded several times over


def in_background(call: Callable[[], httpx.Response]) -> tuple[threading.Thread, dict]:
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["response"] = call()
        except httpx.HTTPError as exc:  # the phone's link broke: it will retry
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def poll(condition: Callable[[], bool], what: str, interval: float = 0.002) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(interval)


def retry_until(call: Callable[[], httpx.Response], status: int) -> httpx.Response:
    """The phone's retry loop: 503 while the server comes back, then the real answer."""
    deadline = time.monotonic() + DEADLINE
    while True:
        r = call()
        if r.status_code != 503:
            assert r.status_code == status, r.text
            return r
        assert r.json()["error"] == "couchdb_unavailable"
        assert time.monotonic() < deadline, "the services never recovered"
        time.sleep(0.2)


def assert_clean_failure(result: dict) -> httpx.Response | None:
    """An interrupted request answers 503 JSON (or had finished): never a 500 or a stack trace."""
    response = result.get("response")
    if response is not None and response.status_code >= 300:
        assert response.status_code == 503, response.text
        assert response.json()["error"] == "couchdb_unavailable"
        return None
    return response


def couch_status(url: str, creds: dict, path: str = "") -> int:
    return httpx.get(f"{url}/{creds['db']}{path}", auth=(creds["username"], creds["password"]), timeout=10).status_code


def login_killed_after_rotation(
    http: httpx.Client, services: LiveServices, admin: httpx.Client, kill: Callable[[], None]
) -> tuple[dict, dict, dict]:
    """Sign up, log in an "old-phone", then start a "new-phone" login and `kill` as soon as its
    rotation is written (before its answer). Returns (owner, old login answer, the background
    call's result: `response` or `error`)."""
    owner = live_signup(services, http)
    old = live_login(http, owner, "old-phone").json()
    user = user_path(owner)
    before = admin.get(user).json()["generation"]
    thread, result = in_background(lambda: live_login(http, owner, "new-phone"))
    poll(lambda: admin.get(user).json()["generation"] > before, "the rotation")
    kill()
    thread.join(DEADLINE)
    return owner, old, result
