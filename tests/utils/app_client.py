"""The services as an in-process app (FastAPI TestClient) wired to a given CouchDB."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from shopbill.services.api.main import create_app
from shopbill.services.core.config import load_settings
from tests.utils.couch import CouchTarget

# Caps high enough that a test's many signups and logins from one address are never limited.
GENEROUS_CAPS = {
    "OTP_PER_IP_PER_HOUR": "100000",
    "OTP_PER_PHONE_PER_HOUR": "1000",
    "LOGIN_FAILURES_PER_IP_PER_HOUR": "100000",
    "OTP_RESEND_SECONDS": "0",
}


@contextmanager
def services_app(
    couch: CouchTarget, sms_file: Path, client_ip: str = "203.0.113.1", **env: str
) -> Iterator[TestClient]:
    """The services against `couch`, sending SMS to `sms_file`; keyword overrides are env
    variables. The app's start-up (probe, provisioning) runs on entering."""
    settings = load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
            "SECRET_KEY": "s" * 40,
            "SMS_BACKEND": f"file:{sms_file}",
            **GENEROUS_CAPS,
            **env,
        }
    )
    with TestClient(create_app(settings), client=(client_ip, 50000)) as client:
        yield client
