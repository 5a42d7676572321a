import asyncio

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import SERVICE_DBS, SYSTEM_DBS
from shopbill.services.couch import ADMIN_ONLY_SECURITY, Couch, normalized_security
from shopbill.services.ops.provision import provision_server
from tests.utils.couch import create_user, unique_name


def provision(couch_target) -> list[str]:
    async def go() -> list[str]:
        couch = Couch(
            load_settings(
                {
                    "COUCHDB_URL": couch_target.url,
                    "COUCHDB_ADMIN_USER": couch_target.admin_user,
                    "COUCHDB_ADMIN_PASSWORD": couch_target.admin_password,
                }
            )
        )
        try:
            return await provision_server(couch)
        finally:
            await couch.aclose()

    return asyncio.run(go())


def test_provisioning_is_idempotent_and_admin_only(couch, admin):
    provision(couch)
    assert provision(couch) == []  # second run creates nothing
    for db in (*SYSTEM_DBS, *SERVICE_DBS):
        assert normalized_security(admin.get(f"/{db}/_security").json()) == normalized_security(ADMIN_ONLY_SECURITY)


def test_service_databases_refuse_a_valid_non_admin_user(couch, admin):
    provision(couch)
    name = unique_name("user")
    create_user(admin, name, "pw-123456")
    with couch.client(auth=(name, "pw-123456")) as user:
        for db in SERVICE_DBS:
            r = user.get(f"/{db}/_all_docs")
            assert r.status_code in (401, 403), (db, r.status_code)
