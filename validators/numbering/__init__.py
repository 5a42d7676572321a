"""GST invoice numbers: `<series>/<FY>/<counter>`, the one owner of numbering in Python.

Example: `A7/2526/000123`. CGST Rule 46(b) allows at most 16 characters, "unique for a
financial year", in one or more series; we use one series per device login:

- series: 1-4 characters `[A-Z0-9]`, handed to the device at login; a new login gets a new
  series, so an old phone's unsynced invoices can never collide with the new phone's;
- FY: the Indian financial year (1 April - 31 March) of the issue date in the business's time
  zone (`business.timezone`, DEFAULT_TIME_ZONE unless the business says otherwise), as two
  two-digit years: 2025-04-01 .. 2026-03-31 -> "2526"; `financial_year` is the one place it is
  computed (the server's counters, the checks of an issued number, the phones' twin);
- counter: 000001 .. 999999, consecutive within the series, restarting at 1 each FY.

The longest number is 4 + 1 + 4 + 1 + 6 = 16 characters. Here: the format, the FY and the next
number; `series.py`: who owns which series; `continuity.py`: the pure arithmetic of the
continuity report. What needs CouchDB builds on these: the server's counters
(services/billing/numbering_server.py) and the auditor's report (services/integrity/auditor/series.py).
The JavaScript twin that phones run is shared/numbering.js; both are tested against
`vectors.json` beside this file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

# The time zone of a business that names none (the business schema's default too).
DEFAULT_TIME_ZONE = "Asia/Kolkata"
# The documents that carry a number; its FY is checked against their `issued_at`.
NUMBERED_TYPES = ("invoice", "credit_note")
MAX_COUNTER = 999_999
SERIES_RE = re.compile(r"[A-Z0-9]{1,4}")
NUMBER_RE = re.compile(r"([A-Z0-9]{1,4})/([0-9]{4})/([0-9]{6})")
# Series starting with "0" are the server's own (device series never start with a zero), so a
# number in one that the server's counter never reached was not issued by the server.
SERVER_SERIES_PREFIX = "0"


def is_server_series(series: str) -> bool:
    """True for a series only the server issues numbers in (`0S` invoices, `0C` credit notes)."""
    return series.startswith(SERVER_SERIES_PREFIX)


class NumberingError(ValueError):
    """A series, date or counter that cannot make a valid invoice number."""


@dataclass(frozen=True)
class InvoiceNumber:
    """The parts of an invoice number."""

    series: str
    fy: str
    counter: int

    def __str__(self) -> str:
        return format_invoice_number(self.series, self.fy, self.counter)


def parse_issued_at(issued_at: str | datetime) -> datetime:
    """An aware datetime from an RFC 3339 string (or datetime); naive times are refused."""
    try:
        moment = issued_at if isinstance(issued_at, datetime) else datetime.fromisoformat(issued_at)
    except (TypeError, ValueError) as exc:
        raise NumberingError(f"issued_at is not an RFC 3339 date-time: {issued_at!r}") from exc
    if moment.tzinfo is None:
        raise NumberingError(f"issued_at has no UTC offset: {issued_at!r}")
    return moment


def financial_year(issued_at: str | datetime, time_zone: str | tzinfo = DEFAULT_TIME_ZONE) -> str:
    """The financial year code ("2526") of an instant, as a date in `time_zone` (the business's:
    an IANA name or a zone)."""
    zone = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
    local = parse_issued_at(issued_at).astimezone(zone)
    start = local.year if local.month >= 4 else local.year - 1
    return f"{start % 100:02d}{(start + 1) % 100:02d}"


def format_invoice_number(series: str, fy: str, counter: int) -> str:
    """`<series>/<fy>/<counter>` with the counter zero-padded to 6 digits."""
    if not isinstance(series, str) or not SERIES_RE.fullmatch(series):
        raise NumberingError(f"series must be 1-4 characters A-Z 0-9: {series!r}")
    if not isinstance(fy, str) or not re.fullmatch(r"[0-9]{4}", fy):
        raise NumberingError(f"financial year must be 4 digits: {fy!r}")
    if isinstance(counter, bool) or not isinstance(counter, int) or not 1 <= counter <= MAX_COUNTER:
        raise NumberingError(f"counter must be 1..{MAX_COUNTER}: {counter!r}")
    return f"{series}/{fy}/{counter:06d}"


def parse_invoice_number(number: str) -> InvoiceNumber | None:
    """The parts of a well-formed invoice number, or None."""
    match = NUMBER_RE.fullmatch(number) if isinstance(number, str) else None
    if match is None or int(match[3]) < 1:
        return None
    return InvoiceNumber(series=match[1], fy=match[2], counter=int(match[3]))


def next_invoice_number(
    series: str,
    issued_at: str | datetime,
    last_counters: Mapping[str, int] | None = None,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
) -> InvoiceNumber:
    """The next number of `series` for an invoice issued at `issued_at`.

    `last_counters` maps FY code -> last counter issued in that FY of this series (missing:
    none yet), so a device whose clock steps back into the previous FY never repeats a number.
    """
    fy = financial_year(issued_at, time_zone)
    counter = (last_counters or {}).get(fy, 0) + 1
    format_invoice_number(series, fy, counter)  # raises NumberingError on a bad part
    return InvoiceNumber(series=series, fy=fy, counter=counter)
