"""Who numbers in which series, so two issuers can never make the same number.

- A device gets a new series at each login: the base-36 `_users` generation of the login
  (`device_series`, generation >= 1, so never a leading zero). A phone replaced while it had
  unsynced invoices keeps its old series; the new phone's numbers cannot collide with them.
- The server numbers in series of its own that start with "0", which no device series does:
  invoices in SERVER_INVOICE_SERIES, credit notes in SERVER_CREDIT_NOTE_SERIES
  (services/billing/numbering_server.py keeps their counters).
- A device numbers the credit notes it makes (CGST Rule 53: a consecutive series of their own)
  in `credit_note_series` of its invoice series: "C" and the device series padded to 3
  characters with zeros ("7" -> "C007"). It has 4 characters, a device's invoice series at most 3
  (`DEVICE_SERIES_MAX`), and it does not start with "0": it is no invoice series and no server
  series. The schema holds every credit note to CREDIT_NOTE_SERIES (validators/schemas.py).
"""

from __future__ import annotations

from shopbill.validators.numbering import SERIES_RE, NumberingError

SERIES_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SERVER_INVOICE_SERIES = "0S"
SERVER_CREDIT_NOTE_SERIES = "0C"
# Longest invoice series a device numbers credit notes for (generations below 36**3 = 46,656).
DEVICE_SERIES_MAX = 3
# The series a credit note may be numbered in: the server's, or a device's credit-note series.
CREDIT_NOTE_SERIES = rf"(?:{SERVER_CREDIT_NOTE_SERIES}|C[0-9A-Z]{{{DEVICE_SERIES_MAX}}})"


def device_series(generation: int) -> str:
    """The invoice series of the login with `_users` generation `generation` (base 36, <= 3
    characters for any generation a business reaches)."""
    digits = ""
    n = generation
    while True:
        n, r = divmod(n, len(SERIES_ALPHABET))
        digits = SERIES_ALPHABET[r] + digits
        if n == 0:
            return digits


def credit_note_series(series: str) -> str:
    """The credit-note series of the device invoice series `series` ("7" -> "C007")."""
    if not SERIES_RE.fullmatch(series) or len(series) > DEVICE_SERIES_MAX:
        raise NumberingError(f"credit notes need a device series of 1-{DEVICE_SERIES_MAX} characters: {series!r}")
    return "C" + series.rjust(DEVICE_SERIES_MAX, "0")
