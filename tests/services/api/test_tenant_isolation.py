"""Business A's device credentials reach nothing but business A's own data."""

import pytest

from shopbill.services.core.names import SERVICE_DBS
from tests.utils.access import refused_rules_write
from tests.utils.accounts import login, signup


@pytest.fixture(scope="module")
def two_shops(api, sms_file):
    a, b = signup(api, sms_file), signup(api, sms_file)
    return login(api, a)["couchdb"], login(api, b)["couchdb"]


@pytest.fixture
def phone_a(couch, two_shops):
    creds = two_shops[0]
    with couch.client(auth=(creds["username"], creds["password"])) as client:
        yield client


def test_other_business_db_is_refused(phone_a, two_shops):
    other = two_shops[1]["db"]
    assert phone_a.get(f"/{other}").status_code in (401, 403)
    assert phone_a.get(f"/{other}/business").status_code in (401, 403)
    assert phone_a.put(f"/{other}/x", json={"a": 1}).status_code in (401, 403)
    assert phone_a.post(f"/{other}/_find", json={"selector": {}}).status_code in (401, 403)
    assert phone_a.get(f"/{other}/_changes").status_code in (401, 403)


def test_server_wide_endpoints_are_refused(phone_a):
    assert phone_a.get("/_all_dbs").status_code in (401, 403)
    assert phone_a.get("/_config").status_code in (401, 403)
    assert phone_a.put("/newdb_by_phone").status_code in (401, 403)
    # Not `/_replicate`: Apache CouchDB lets any user start a replication; the public origin
    # refuses that path (SECURITY.md), and replication cannot reach another shop's database.


def test_users_and_service_databases_are_refused(phone_a, two_shops):
    other_user = f"org.couchdb.user:{two_shops[1]['username']}"
    assert phone_a.get(f"/_users/{other_user}").status_code in (401, 403, 404)
    assert phone_a.get("/_users/_all_docs").status_code in (401, 403)
    for db in (*SERVICE_DBS, "_replicator"):
        assert phone_a.get(f"/{db}/_all_docs").status_code in (401, 403), db


def test_own_design_docs_and_security_cannot_be_changed(phone_a, two_shops, admin):
    own = two_shops[0]["db"]
    before = admin.get(f"/{own}/_security").json()
    assert refused_rules_write(phone_a.put(f"/{own}/_security", json={"members": {"names": []}}))
    assert refused_rules_write(phone_a.put(f"/{own}/_design/evil", json={"validate_doc_update": {}}))
    assert admin.get(f"/{own}/_security").json() == before
    assert admin.get(f"/{own}/_design/evil").status_code == 404
