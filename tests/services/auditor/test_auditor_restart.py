"""A restarted auditor resumes from its checkpoint (its own module: no other auditor runs)."""

from __future__ import annotations

import os
import subprocess
import sys

from shopbill.services.core.names import LEDGER_DB
from tests.utils.accounts import login, signup
from tests.utils.auditor_process import ENV_KEYS, eventually
from tests.utils.docs import invoice


def start_auditor(couch) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k in ENV_KEYS}
    env.update(
        COUCHDB_URL=couch.url,
        COUCHDB_ADMIN_USER=couch.admin_user,
        COUCHDB_ADMIN_PASSWORD=couch.admin_password,
        SECRET_KEY="s" * 40,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "shopbill.services.integrity.auditor"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def caught_up(admin, db: str) -> bool:
    """The auditor's checkpoint of `db` is past its last change."""
    checkpoint = admin.get(f"/{LEDGER_DB}/checkpoint:{db}")
    if checkpoint.status_code != 200:
        return False
    since = checkpoint.json()["seq"]
    return admin.get(f"/{db}/_changes", params={"since": since}).json()["results"] == []


def test_a_restarted_auditor_resumes_from_its_checkpoint(api, sms_file, couch, admin):
    owner = signup(api, sms_file)
    creds = login(api, owner)["couchdb"]
    db = creds["db"]
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        first = start_auditor(couch)
        try:
            for n in (1, 2, 3):
                doc = invoice(number=f"D1/2627/{n:06d}")
                assert phone.put(f"/{db}/{doc['_id']}", json=doc).status_code == 201
            eventually(lambda: caught_up(admin, db))
        finally:
            first.terminate()
            first.communicate(timeout=30)
        late = invoice(number="D1/2627/000004")
        assert phone.put(f"/{db}/{late['_id']}", json=late).status_code == 201
        second = start_auditor(couch)
        try:
            eventually(
                lambda: caught_up(admin, db) and admin.get(f"/{LEDGER_DB}/seal:{db}:{late['_id']}").status_code == 200
            )
        finally:
            second.terminate()
            out, _ = second.communicate(timeout=30)
    counts = [int(line.split("audited ")[1].split()[0]) for line in out.splitlines() if f"changes of {db}" in line]
    assert counts and sum(counts) == 1, out  # only the change made while it was down
