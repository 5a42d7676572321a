"""Kill -9 the CouchDB-protocol server while the auditor works through a shop's changes: the
auditor survives the outage by itself, resumes from its checkpoint (it does not start over),
and ends with every invoice sealed exactly once and its checkpoint past the last change."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from shopbill.services.core.names import LEDGER_DB
from tests.utils.auditor_process import seal_count
from tests.utils.docs import invoice
from tests.utils.live_accounts import live_login, live_signup

ENV_KEYS = ("PATH", "HOME", "LANG", "VIRTUAL_ENV")


def caught_up(admin: httpx.Client, db: str) -> bool:
    checkpoint = admin.get(f"/{LEDGER_DB}/checkpoint:{db}")
    if checkpoint.status_code != 200:
        return False
    return admin.get(f"/{db}/_changes", params={"since": checkpoint.json()["seq"]}).json()["results"] == []


@pytest.mark.parametrize("invoices", [pytest.param(1000, marks=pytest.mark.slow), 300])
def test_kill_9_during_the_auditors_run_it_resumes_from_its_checkpoint(
    own_server, own_admin, own_services, tmp_path, invoices
):
    with httpx.Client(base_url=own_services.url, timeout=60) as http:
        creds = live_login(http, live_signup(own_services, http), "phone").json()["couchdb"]
    db = creds["db"]
    docs = [invoice(number=f"K1/2627/{n:06d}") for n in range(1, invoices + 1)]
    with httpx.Client(base_url=own_server.url, auth=(creds["username"], creds["password"]), timeout=60) as phone:
        for start in range(0, invoices, 250):
            r = phone.post(f"/{db}/_bulk_docs", json={"docs": docs[start : start + 250]})
            assert r.status_code == 201 and all("ok" in row for row in r.json()), r.text[:300]

    env = {k: v for k, v in os.environ.items() if k in ENV_KEYS}
    env.update(
        COUCHDB_URL=own_server.url,
        COUCHDB_ADMIN_USER=own_server.admin_user,
        COUCHDB_ADMIN_PASSWORD=own_server.admin_password,
        SECRET_KEY="s" * 40,
    )
    log = tmp_path / "auditor.log"
    with open(log, "wb") as out:
        auditor = subprocess.Popen(
            [sys.executable, "-m", "shopbill.services.integrity.auditor"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while (sealed := seal_count(own_admin, db)) < 1:  # under way (polls are slow when busy)
            assert time.monotonic() < deadline and auditor.poll() is None, log.read_text()
            time.sleep(0.02)
        own_server.kill()
        assert sealed < invoices, "the auditor finished before the kill: raise the count"
        time.sleep(1.5)  # the auditor meets the outage
        own_server.start()
        deadline = time.monotonic() + 120
        while not (caught_up(own_admin, db) and seal_count(own_admin, db) == invoices):
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            assert auditor.poll() is None, log.read_text()[-3000:]
            time.sleep(0.2)
    finally:
        auditor.terminate()
        auditor.wait(timeout=30)
    text = log.read_text()
    audited = sum(int(line.split("audited ")[1].split()[0]) for line in text.splitlines() if f"changes of {db}" in line)
    # Every change was audited once, plus at most the one batch in flight at the kill
    # (its checkpoint was not written, so it is read again): no start from zero.
    assert invoices + 1 <= audited <= invoices + 1 + 200, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
