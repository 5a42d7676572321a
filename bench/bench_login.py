"""Login and signup latency, timed inside one process.

`POST /v1/login` runs in this process (the services app under a TestClient) so that its two big
costs can be timed around the real calls and reported apart: the Argon2 password check
(`verify_password_async`, as the login route calls it) and the CouchDB credential rotation
(`rotate_credentials`, as `devices.login_device` calls it). Target: p95 of the rest <= 30 ms.
Also `POST /v1/signup/complete` (account, CouchDB user, database, security, design docs,
indexes), p95.

    .venv/bin/python -m bench.bench_login
"""

from __future__ import annotations

import functools
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.fixtures import (
    QUICK,
    SMOKE,
    Bench,
    at_most,
    entry,
    login,
    p95,
    server,
    services_app,
    signup,
    timed,
)
from shopbill.services.api.routes import session
from shopbill.services.identity import devices

LOGINS, SIGNUPS = (2, 1) if SMOKE else (12, 5) if QUICK else (200, 50)


@contextmanager
def timing(module: Any, name: str, spent: list[float]) -> Iterator[None]:
    """Replace async `module.name` with a wrapper adding each call's ms to `spent`."""
    original: Callable[..., Any] = getattr(module, name)

    @functools.wraps(original)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            spent.append((time.perf_counter() - began) * 1000)

    setattr(module, name, timed)
    try:
        yield
    finally:
        setattr(module, name, original)


def phones(count: int, base: int) -> list[str]:
    return [f"+9197{base + n:08d}" for n in range(count)]


def run(api: Any, sms_file: Path, signed_up: list[str] | None = None) -> list[dict[str, Any]]:
    """Time SIGNUPS signups and LOGINS logins; the new owners' phones are added to `signed_up`."""
    owners = phones(SIGNUPS, int(time.time()) % 10_000_000)
    signup_ms = [signup(api, sms_file, phone) for phone in owners]
    if signed_up is not None:
        signed_up += owners
    total, argon2, rotation, round_trips = [], [], [], []
    settings = api.app.state.server.settings
    loads = [os.getloadavg()[0]]
    with (
        timing(session, "verify_password_async", argon2),
        timing(devices, "rotate_credentials", rotation),
        httpx.Client(
            base_url=settings.couchdb_url,
            timeout=60,
            auth=(settings.couchdb_admin_user, settings.couchdb_admin_password),
        ) as couch,
    ):
        for i in range(LOGINS):
            # one CouchDB round trip right before each login: the yardstick of a busy machine
            round_trips.append(timed(lambda: couch.get(f"/{devices.DEVICES_DB}").raise_for_status()))
            took, _ = login(api, owners[i % len(owners)])
            total.append(took)
    loads.append(os.getloadavg()[0])
    assert len(argon2) == len(rotation) == LOGINS, "a timed function was not called once per login"
    rest = [t - a - r for t, a, r in zip(total, argon2, rotation)]
    note = (
        f"{LOGINS} logins in process; rest = total - Argon2 check - credential rotation; "
        f"load average {min(loads):.1f}..{max(loads):.1f}"
    )
    return [
        entry("login_p50", statistics.median(total), "ms"),
        entry("login_p95", p95(total), "ms"),
        entry("login_argon2_p50", statistics.median(argon2), "ms"),
        entry("login_argon2_p95", p95(argon2), "ms"),
        entry("login_rotation_p50", statistics.median(rotation), "ms"),
        entry("login_rotation_p95", p95(rotation), "ms"),
        entry("login_rest_p50", statistics.median(rest), "ms"),
        at_most("login_rest_p95", p95(rest), "ms", 30, note),
        entry(
            "login_couch_round_trip_p50",
            statistics.median(round_trips),
            "ms",
            note="admin GET of a database's info, before each login, same run",
        ),
        entry(
            "login_rest_p50_in_round_trips",
            statistics.median(rest) / statistics.median(round_trips),
            "x",
            note="the rest of a login in CouchDB round trips of the same run (a figure the "
            "machine's load moves less); on its critical path 3 sequential requests "
            "(rate caps || phone -> account; the session write), was 4 (a9f1393, b592ffa)",
        ),
        entry("signup_complete_p50", statistics.median(signup_ms), "ms"),
        entry(
            "signup_complete_p95",
            p95(signup_ms),
            "ms",
            note=f"{SIGNUPS} signups: account, user, db, security, design docs, indexes",
        ),
    ]


def main(shared: Bench | None = None) -> list[dict[str, Any]]:
    if shared:
        return run(shared.api, shared.sms_file, shared.owners)
    with (
        tempfile.TemporaryDirectory(prefix="bench_login_") as tmp,
        server(Path(tmp)) as srv,
        services_app(srv, Path(tmp)) as (api, sms_file),
    ):
        return run(api, sms_file)


if __name__ == "__main__":
    from bench.run import report

    report(main())
