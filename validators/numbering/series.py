"""Who numbers in which series, so two issuers can never make the same number.

- A device gets a new series at each login: the base-36 `_users` generation of the login
  (`device_series`, generation >= 1, so never a leading zero). A phone replaced while it had
  unsynced invoices keeps its old series; the new phone's numbers cannot collide with them.
- The server numbers in series of its own that start with "0", which no device series does:
  invoices in SERVER_INVOICE_SERIES, credit notes in SERVER_CREDIT_NOTE_SERIES
  (services/billing/numbering_server.py keeps their counters).
"""

from __future__ import annotations

SERIES_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SERVER_INVOICE_SERIES = "0S"
SERVER_CREDIT_NOTE_SERIES = "0C"


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
