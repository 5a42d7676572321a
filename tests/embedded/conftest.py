"""Fixtures for tests that need their own embedded server (restarts, file limits, config)."""

from __future__ import annotations

import resource
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shopbill.services.ops.embedded import EmbeddedServer
from tests.utils.couch import throwaway_server


def limit_open_files(pid: int, limit: int) -> None:
    """Run process `pid` under `ulimit -n limit` from now on (soft and hard: node raises its soft
    limit to the hard one at startup, so a lower soft limit alone would not hold)."""
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (limit, limit))
    assert resource.prlimit(pid, resource.RLIMIT_NOFILE) == (limit, limit)


@pytest.fixture
def own_server(tmp_path: Path, started_server: EmbeddedServer | None) -> Iterator[EmbeddedServer]:
    """A fresh embedded server of this test's own (not started yet); stopped afterwards."""
    if started_server is None:
        pytest.skip("needs the embedded server (COUCHDB_URL points at an external server)")
    server = throwaway_server(tmp_path / "couchdb")
    yield server
    server.stop()


@pytest.fixture
def pouchdb_server(admin: httpx.Client) -> None:
    """Skips a regression test of the embedded PouchDB Server when COUCHDB_URL is another server."""
    if "express-pouchdb" not in admin.get("/").json():
        pytest.skip("regression test of the embedded PouchDB Server; COUCHDB_URL is another server")
