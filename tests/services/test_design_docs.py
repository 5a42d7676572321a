"""Installing and rolling out the validation design doc, against the real server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest

from shopbill.services.core.names import shop_db
from shopbill.services.errors import RolloutError
from shopbill.services.ops.design_docs import (
    DESIGN_DOC_ID,
    detect_target,
    install_design_docs,
    load_design_doc,
    roll_out,
)
from tests.utils.couch import CouchTarget, create_db, unique_name


def run(couch: CouchTarget, fn: Any) -> Any:
    async def go() -> Any:
        async with httpx.AsyncClient(base_url=couch.url, auth=couch.admin_auth, timeout=60) as c:
            return await fn(c)

    return asyncio.run(go())


def stored_ddoc(admin: httpx.Client, db: str) -> dict[str, Any]:
    r = admin.get(f"/{db}/{DESIGN_DOC_ID}")
    assert r.status_code == 200, r.text
    return r.json()


def test_install_is_idempotent(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("biz"))
    assert run(couch, lambda c: install_design_docs(c, db, "js")) is True
    rev = stored_ddoc(admin, db)["_rev"]
    assert run(couch, lambda c: install_design_docs(c, db, "js")) is False
    assert stored_ddoc(admin, db)["_rev"] == rev  # no new revision for the same rules


def test_switching_target_replaces_the_design_doc(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("biz"))
    run(couch, lambda c: install_design_docs(c, db, "js"))
    assert stored_ddoc(admin, db)["language"] == "javascript"
    if run(couch, detect_target) != "mango":
        pytest.skip("the server lacks Mango validate_doc_update: cannot install the Mango target")
    assert run(couch, lambda c: install_design_docs(c, db, "mango")) is True
    ddoc = stored_ddoc(admin, db)
    assert ddoc["language"] == "query"
    assert ddoc["validate_doc_update"] == load_design_doc("mango")["validate_doc_update"]


def test_install_into_a_missing_database_fails_clearly(couch: CouchTarget) -> None:
    with pytest.raises(RolloutError):
        run(couch, lambda c: install_design_docs(c, shop_db(unique_name("missing")), "js"))


def test_unknown_target_is_refused() -> None:
    with pytest.raises(ValueError):
        load_design_doc("lua")  # type: ignore[arg-type]


def test_roll_out_covers_every_business_database_only(couch: CouchTarget, admin: httpx.Client) -> None:
    businesses = [create_db(admin, unique_name("biz")) for _ in range(3)]
    other = create_db(admin, unique_name("svc"))
    run(couch, lambda c: install_design_docs(c, businesses[0], "js"))
    rev = stored_ddoc(admin, businesses[0])["_rev"]
    results = run(couch, lambda c: roll_out(c, "js"))
    for db in businesses:
        assert db in results
        assert stored_ddoc(admin, db)["shopbill"]["target"] == "js"
    assert stored_ddoc(admin, businesses[0])["_rev"] == rev  # already current: left alone
    assert results[businesses[1]] is True
    assert other not in results
    assert admin.get(f"/{other}/{DESIGN_DOC_ID}").status_code == 404
    again = run(couch, lambda c: roll_out(c, "js"))
    assert not any(again[db] for db in businesses)


def test_auto_target_follows_the_probe(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("biz"))
    probe = run(couch, detect_target)
    run(couch, lambda c: roll_out(c, "auto"))
    assert stored_ddoc(admin, db)["shopbill"]["target"] == probe
    assert not [name for name in admin.get("/_all_dbs").json() if name.startswith("shopbill_probe_")]


def test_cli_rollout(couch: CouchTarget, admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("biz"))
    env = {
        **os.environ,
        "COUCHDB_URL": couch.url,
        "COUCHDB_ADMIN_USER": couch.admin_user,
        "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
    }
    out = subprocess.run(
        [sys.executable, "-m", "shopbill.services.ops.design_docs", "rollout", "--target", "js"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "target js" in out.stdout
    assert stored_ddoc(admin, db)["language"] == "javascript"
