"""The clock of the services: timestamps as the documents carry them."""

from __future__ import annotations

from datetime import UTC, datetime


def now_rfc3339() -> str:
    """The current time as RFC 3339 UTC with milliseconds, as documents carry it."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
