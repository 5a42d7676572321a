"""Pluggable SMS senders, chosen by SMS_BACKEND.

- `file:<path>` (development and tests): appends one JSON line `{phone, text, sent_at}` per message.
- A real gateway plugs in as a class with `send(phone, text)`, registered in `SENDERS` under its
  scheme (e.g. `msg91:<token>`); the part after the colon is its configuration.
Message texts (which carry OTPs) are never logged.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol


class SmsSender(Protocol):
    async def send(self, phone: str, text: str) -> None: ...


class FileSender:
    """Appends each message to a JSON-lines file; for development and tests only."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    async def send(self, phone: str, text: str) -> None:
        line = json.dumps({"phone": phone, "text": text, "sent_at": datetime.now(UTC).isoformat()})
        await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


SENDERS: dict[str, type] = {"file": FileSender}


def sender_from_setting(backend: str) -> SmsSender:
    """Build the sender named by SMS_BACKEND (`<scheme>:<config>`)."""
    scheme, _, config = backend.partition(":")
    if scheme not in SENDERS:
        raise ValueError(f"unknown SMS_BACKEND scheme {scheme!r}; known: {sorted(SENDERS)}")
    return SENDERS[scheme](config)
