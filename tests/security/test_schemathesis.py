"""Generated hostile input (schemathesis) against every operation of the services' OpenAPI, over
HTTP to a real uvicorn process on the test server: no 5xx, and every answer (errors included)
matches the documented status codes, content type and schema.

A short run per operation in `make test`; >= 1,000 cases under `slow`. Authenticated operations
are called with a live bearer token (re-logged-in whenever a generated call ended the session), so
the bodies behind the auth check are exercised too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from shopbill.services.api.main import create_app
from shopbill.services.core.config import load_settings
from tests.utils.live_services import LiveServices

FAST_EXAMPLES = 4
SLOW_EXAMPLES = 60
PASSWORD = "fuzz-owner-pass-1"
# The schema cannot say which strings are real phone numbers, so a schema-valid body may be
# rightly refused with 422; every other check runs.
EXCLUDED = [positive_data_acceptance]
SESSION_ENDING = ("/v1/logout", "/v1/password", "/v1/account", "/v1/phone")


@pytest.fixture(scope="module")
def live_api(couch, tmp_path_factory) -> Iterator[LiveServices]:
    services = LiveServices(
        couch.url, couch.admin_user, couch.admin_password, tmp_path_factory.mktemp("fuzzed-services")
    )
    services.start()
    yield services
    services.stop()
    assert " 500 " not in services.logs() and "Traceback" not in services.logs()


class Owner:
    """A real account whose bearer token the fuzzed calls carry; logs in again when needed."""

    def __init__(self, services: LiveServices) -> None:
        from tests.utils.accounts import last_otp, new_phone

        self.url, self.phone = services.url, new_phone()
        with httpx.Client(base_url=self.url, timeout=30) as http:
            http.post("/v1/signup/otp", json={"phone": self.phone}).raise_for_status()
            token = http.post(
                "/v1/signup/verify", json={"phone": self.phone, "otp": last_otp(services.sms_file, self.phone)}
            ).json()
            http.post(
                "/v1/signup/complete",
                json={
                    **token,
                    "password": PASSWORD,
                    "owner_name": "Fuzz",
                    "business": {"name": "Fuzz Traders", "category": "other"},
                },
            ).raise_for_status()
        self.login()

    def login(self) -> None:
        r = httpx.post(
            f"{self.url}/v1/login", timeout=30, json={"phone": self.phone, "password": PASSWORD, "device_id": "fuzzer"}
        )
        r.raise_for_status()
        self.headers = {"Authorization": f"Bearer {r.json()['access_token']}"}

    def keep_alive(self) -> None:
        if httpx.get(f"{self.url}/v1/me", headers=self.headers, timeout=30).status_code == 401:
            self.login()


@pytest.fixture(scope="module")
def owner(live_api: LiveServices) -> Owner:
    return Owner(live_api)


def local_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read from the app itself at collection time."""
    settings_ = load_settings({})
    spec = create_app(settings_).openapi()
    return [(method.upper(), path) for path, item in spec["paths"].items() for method in item]


@pytest.fixture(scope="module")
def operations(live_api: LiveServices) -> dict[tuple[str, str], Any]:
    """The operations of the OpenAPI document the live process serves."""
    spec = httpx.get(f"{live_api.url}/openapi.json", timeout=30).raise_for_status().json()
    schema = schemathesis.openapi.from_dict(spec)
    ops = [result.ok() for result in schema.get_all_operations()]
    return {(op.method.upper(), op.path): op for op in ops}


def fuzz(operations, key: tuple[str, str], owner: Owner, url: str, examples: int) -> None:
    operation = operations[key]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=examples == FAST_EXAMPLES,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case) -> None:
        case.call_and_validate(base_url=url, headers=owner.headers, excluded_checks=EXCLUDED, timeout=30)
        if case.path.startswith(SESSION_ENDING):
            owner.keep_alive()

    run()


OPERATIONS = local_operations()
IDS = [f"{method} {path}" for method, path in OPERATIONS]


@pytest.mark.parametrize("key", OPERATIONS, ids=IDS)
def test_generated_requests(operations, key, owner, live_api):
    fuzz(operations, key, owner, live_api.url, FAST_EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("key", OPERATIONS, ids=IDS)
def test_generated_requests_at_length(operations, key, owner, live_api):
    fuzz(operations, key, owner, live_api.url, SLOW_EXAMPLES)
