"""Fixtures shared by the API tests of history, reports and credit notes."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.utils.auditor_process import running_auditor


@pytest.fixture(scope="module")
def auditor(couch) -> Iterator[subprocess.Popen[bytes]]:
    """The integrity auditor, running for one test module."""
    with running_auditor(couch) as process:
        yield process
