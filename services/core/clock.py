"""The clock of the services: timestamps as the documents carry them (RFC 3339, UTC, `Z`), made
and read here only. A business's calendar days are services/core/localtime.py's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

Precision = Literal["seconds", "milliseconds"]


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def rfc3339(moment: datetime, timespec: Precision = "milliseconds") -> str:
    """`moment` (aware) as RFC 3339 UTC with a `Z`, to the second or the millisecond."""
    return moment.astimezone(UTC).isoformat(timespec=timespec).replace("+00:00", "Z")


def now_rfc3339(timespec: Precision = "milliseconds") -> str:
    """The current time as RFC 3339 UTC, as documents carry it."""
    return rfc3339(now(), timespec)


def epoch_rfc3339(seconds: float, timespec: Precision = "milliseconds") -> str:
    """A Unix time as RFC 3339 UTC."""
    return rfc3339(datetime.fromtimestamp(seconds, UTC), timespec)


def parse_time(stamp: str) -> datetime:
    """An RFC 3339 timestamp as an aware datetime (documents carry UTC with a `Z`)."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def age_seconds(stamp: str) -> float:
    """Seconds from the RFC 3339 `stamp` to now."""
    return (now() - parse_time(stamp)).total_seconds()
