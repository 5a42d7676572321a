"""Opaque pagination cursors: the sort key of the last item a page returned.

A page holds the items strictly after the cursor in a total order (a timestamp, then the doc id),
so pages never overlap or skip, even while new, newer items arrive.
"""

from __future__ import annotations

import base64
import binascii
import json

from shopbill.services.errors import BadCursor


def encode_cursor(key: list[str]) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> list[str]:
    """The key inside a cursor; BadCursor when it is not one of ours."""
    try:
        key = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise BadCursor("not a cursor from this service") from exc
    if not isinstance(key, list) or not all(isinstance(part, str) for part in key):
        raise BadCursor("not a cursor from this service")
    return key
