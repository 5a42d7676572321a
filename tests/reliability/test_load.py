"""Load on loopback, bounded in time: phones of many shops syncing continuously (real PouchDB)
while other accounts log in at 2 per second and customer-history queries run. Zero 5xx, zero
sync failures, and every doc a phone made is on the server exactly once. The figures
(p50/p95/p99, CPU, memory) are printed; SECURITY.md quotes them."""

from __future__ import annotations

import json

import pytest

from tests.reliability.load import run_load
from tests.utils.sync_checks import server_docs
from tests.utils.sync_client import installed

pytestmark = pytest.mark.skipif(not installed(), reason="tests/client not installed: run make deps")


def check(figures: dict, admin) -> None:
    shops = figures.pop("shops")
    print("\nLOAD FIGURES " + json.dumps(figures, indent=1))
    # Data first: whatever the answers, nothing a phone made may be lost or doubled.
    assert figures["sync_failures"] == []
    assert figures["syncs"] >= len(shops), "every phone synced"
    for shop in shops:
        db = shop.login["couchdb"]["db"]
        made = shop.docs[: shop.made]
        on_server = {k: v for k, v in server_docs(admin, db).items() if k != "business"}
        assert sorted(on_server) == sorted(doc["_id"] for doc in made), db  # exact count, no loss
        assert not [d for d in on_server.values() if "_conflicts" in d]
    assert not [s for s in figures["statuses"] if s.split()[1].startswith("5")], figures["statuses"]
    assert set(figures["statuses"]) <= {"login 200", "history 200"}, figures["statuses"]
    offered = figures["offered"]
    assert offered["login"] >= figures["seconds"] * 2 * 0.9, "2 logins/s offered"
    assert figures["statuses"].get("login 200", 0) == offered["login"], "every login answered"
    assert figures["statuses"].get("history 200", 0) == offered["history"], "every query answered"


@pytest.mark.timeout(900)  # setup included; ~2 min on a busy 2-core machine
def test_load_10_seconds(own_server, own_admin, own_services, tmp_path):
    figures = run_load(server_pid=own_server.process.pid, services=own_services, workdir=tmp_path, phones=5, seconds=10)
    check(figures, own_admin)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_load_20_phones_60_seconds(own_server, own_admin, own_services, tmp_path):
    figures = run_load(
        server_pid=own_server.process.pid,
        services=own_services,
        workdir=tmp_path,
        phones=20,
        seconds=60,
        login_accounts=16,
    )
    check(figures, own_admin)
