"""The integrity auditor run as its own process against the test server, and polling helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from shopbill.services.core.names import LEDGER_DB

ENV_KEYS = ("PATH", "HOME", "LANG", "VIRTUAL_ENV")


@contextmanager
def running_auditor(couch: Any) -> Iterator[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if k in ENV_KEYS}
    env.update(
        COUCHDB_URL=couch.url,
        COUCHDB_ADMIN_USER=couch.admin_user,
        COUCHDB_ADMIN_PASSWORD=couch.admin_password,
        SECRET_KEY="s" * 40,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "shopbill.services.integrity.auditor"], env=env, stdin=subprocess.DEVNULL
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll `check` until it returns something truthy (goal: a few seconds; bound 30 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s")


def audited(admin: Any, db: str) -> bool:
    """True once the auditor's checkpoint of `db` covers the db's current update sequence."""
    seq = admin.get(f"/{db}").json()["update_seq"]
    checkpoint = admin.get(f"/{LEDGER_DB}/checkpoint:{db}")
    return checkpoint.status_code == 200 and _seq_number(checkpoint.json()["seq"]) >= _seq_number(seq)


def _seq_number(seq: Any) -> int:
    return int(str(seq).split("-")[0])


def seal_count(admin: Any, db: str) -> int:
    """How many docs of `db` the auditor has sealed (0 before its ledger exists)."""
    rows = admin.get(
        f"/{LEDGER_DB}/_all_docs",
        params={"startkey": json.dumps(f"seal:{db}:"), "endkey": json.dumps(f"seal:{db}:\ufff0")},
    )
    return len(rows.json()["rows"]) if rows.status_code == 200 else 0
