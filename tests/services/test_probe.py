import asyncio

import pytest

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import PROBE_DB_PREFIX
from shopbill.services.couch import Couch
from shopbill.services.ops.embedded import free_port
from shopbill.services.ops.probe import ServerProbe, choose_vdu_target, probe_server


def run_probe(env: dict) -> ServerProbe:
    async def go() -> ServerProbe:
        couch = Couch(load_settings(env))
        try:
            return await probe_server(couch)
        finally:
            await couch.aclose()

    return asyncio.run(go())


def test_probe_reports_a_reachable_server_and_leaves_no_scratch_db(couch, admin):
    probe = run_probe(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
        }
    )
    assert probe.reachable and probe.version
    assert isinstance(probe.mango_vdu, bool)
    assert not [db for db in admin.get("/_all_dbs").json() if db.startswith(PROBE_DB_PREFIX)]


def test_probe_of_a_closed_port_says_unreachable():
    probe = run_probe({"COUCHDB_URL": f"http://127.0.0.1:{free_port()}"})
    assert not probe.reachable and "unreachable" in probe.detail


@pytest.mark.parametrize(
    ("requested", "mango", "expected"),
    [
        ("auto", True, "mango"),
        ("auto", False, "js"),
        ("js", True, "js"),
        ("mango", True, "mango"),
        ("mango", False, None),
    ],
)
def test_vdu_target_follows_the_probe(requested, mango, expected):
    assert choose_vdu_target(requested, ServerProbe(reachable=True, mango_vdu=mango)) == expected
