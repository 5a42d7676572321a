"""Fixtures of the cluster tests (run by `make test-couchdb` only: tests/conftest.py leaves this
folder out on the embedded server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.utils.cluster import LocalCluster


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[LocalCluster]:
    """Three started Apache CouchDB nodes, not joined yet; stopped (or their remains) at the end."""
    nodes = LocalCluster.create(tmp_path / "cluster")
    try:
        nodes.start()
        yield nodes
    finally:
        nodes.stop()
