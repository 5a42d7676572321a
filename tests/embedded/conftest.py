"""Fixtures for tests that need their own embedded server (restarts, file limits, config)."""

from __future__ import annotations

import resource
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from shopbill.services.embedded import EmbeddedServer


@contextmanager
def open_files_limit(limit: int) -> Iterator[None]:
    """Lower this process's soft RLIMIT_NOFILE while a child server is started (it inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.fixture
def own_server(tmp_path: Path, embedded_server: EmbeddedServer | None) -> Iterator[EmbeddedServer]:
    """A fresh embedded server of this test's own (not started yet); stopped afterwards."""
    if embedded_server is None:
        pytest.skip("needs the embedded server (COUCHDB_URL points at an external server)")
    server = EmbeddedServer(data_dir=tmp_path / "couchdb", admin_user="admin",
                            admin_password=secrets.token_urlsafe(16), secret=secrets.token_hex(32))
    yield server
    server.stop()
