"""Fixtures of the sync tests: a business database with its device user, and simulated phones.

A business is provisioned directly over the admin API (tests/utils/couch.py), so these tests
need no services; `Remote` has the fields of the `couchdb` object `POST /v1/login` answers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.utils.couch import CouchTarget
from tests.utils.sync_checks import provision_business
from tests.utils.sync_client import CLIENT_DIR, Remote, SyncClient, installed


@pytest.fixture(scope="session", autouse=True)
def _client_installed() -> None:
    if not installed():
        pytest.fail(f"the reference client is not installed: run `make deps` (npm ci in {CLIENT_DIR})", pytrace=False)


@pytest.fixture
def business(admin: httpx.Client, couch: CouchTarget) -> Remote:
    """A business database and the credentials a phone got for it at login."""
    return provision_business(admin, couch.url)


@pytest.fixture
def new_phone(tmp_path: Path) -> Callable[[str], SyncClient]:
    """Make a simulated phone (its own local PouchDB) by name."""
    return lambda name: SyncClient(tmp_path / name)


@pytest.fixture
def phone(new_phone: Callable[[str], SyncClient]) -> SyncClient:
    """One simulated phone."""
    return new_phone("phone")
