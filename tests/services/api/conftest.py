"""An app wired to the test server, with the SMS file sender in a temp dir."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shopbill.services.api.main import create_app
from shopbill.services.core.config import load_settings

GENEROUS_CAPS = {"OTP_PER_IP_PER_HOUR": "100000", "OTP_PER_PHONE_PER_HOUR": "1000",
                 "LOGIN_FAILURES_PER_IP_PER_HOUR": "100000", "OTP_RESEND_SECONDS": "0"}


@pytest.fixture(scope="session")
def sms_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sms") / "sms.jsonl"


@pytest.fixture(scope="session")
def app_factory(couch, sms_file) -> Callable:
    """Build an app against the test server; keyword overrides are env variables."""

    @contextmanager
    def make(client_ip: str = "203.0.113.1", **env: str) -> Iterator[TestClient]:
        settings = load_settings({
            "COUCHDB_URL": couch.url, "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password, "SECRET_KEY": "s" * 40,
            "SMS_BACKEND": f"file:{sms_file}", **GENEROUS_CAPS, **env})
        with TestClient(create_app(settings), client=(client_ip, 50000)) as client:
            yield client

    return make


@pytest.fixture(scope="session")
def api(app_factory) -> Iterator[TestClient]:
    with app_factory() as client:
        yield client
