"""The printable invoice: app/print/index.html with its script inlined and the invoice's data embedded.

The same two static files render offline in the app (`ShopbillPrint.render(data, element)`); the
server only fills them in, so the layout exists once. The page is self-contained (no further
requests), and its Content-Security-Policy allows exactly the inlined script, by hash.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any

from shopbill.services.core.resources import print_page as print_file

SCRIPT_TAG = '<script src="invoice.js"></script>'
DATA_TAG = '<script id="invoice-data" type="application/json"></script>'


def embed_json(data: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>`, `&` or line separators left as such."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


@lru_cache(maxsize=1)
def _template() -> tuple[str, str]:
    """(page with the script inlined, its CSP header value)."""
    page = print_file("index.html").read_text(encoding="utf-8")
    script = print_file("invoice.js").read_text(encoding="utf-8")
    assert "</script" not in script.lower() and SCRIPT_TAG in page and DATA_TAG in page
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return page.replace(SCRIPT_TAG, f"<script>{script}</script>"), csp


def print_page(
    invoice: dict[str, Any],
    business: dict[str, Any] | None,
    customer: dict[str, Any] | None,
    credit_note: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """(HTML, Content-Security-Policy) of the printable invoice, or of `credit_note` (one of the
    invoice's credit notes: the page then draws the Credit Note, CGST Rule 53)."""
    page, csp = _template()
    public_business = {k: v for k, v in (business or {}).items() if not k.startswith("_")}
    data = {
        "invoice": invoice,
        "business": public_business,
        "customer": {"name": customer["name"]} if customer and customer.get("name") else None,
    }
    if credit_note is not None:
        data["credit_note"] = credit_note
    filled = page.replace(DATA_TAG, DATA_TAG.replace("></", f">{embed_json(data)}</"))
    title = (
        f"<title>Credit Note {credit_note['number']}</title>"
        if credit_note is not None
        else f"<title>Invoice {invoice['number']}</title>"
    )
    return filled.replace("<title>Invoice</title>", title), csp
