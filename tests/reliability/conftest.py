"""Fixtures of the fault tests: a CouchDB-protocol server of the test's own (which it kills -9
and restarts), the services as a real process on it, and owners made through that process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shopbill.services.ops.embedded import EmbeddedServer
from tests.utils.live_services import LiveServices


@pytest.fixture
def own_admin(own_server: EmbeddedServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=own_server.url, timeout=30, auth=(own_server.admin_user, own_server.admin_password)
    ) as client:
        yield client


@pytest.fixture
def own_services(own_server: EmbeddedServer, tmp_path: Path) -> Iterator[LiveServices]:
    services = LiveServices(own_server.url, own_server.admin_user, own_server.admin_password, tmp_path / "services")
    services.start()
    yield services
    services.stop()
    assert "Traceback" not in services.logs(), services.logs()[-3000:]
