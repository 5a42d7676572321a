"""Pluggable SMS senders, chosen by SMS_BACKEND (`<scheme>:<config>`).

- `file:<path>` (development and tests): appends one JSON line `{phone, text, sent_at}` per message.
- `msg91:<authkey>` and `http:<url>`: real gateways, in sms_gateways.py (which also builds the
  sender SMS_BACKEND names).

A sender gets either an `OtpMessage` (the code itself, which DLT gateways fill into their registered
template, and the text a plain sender delivers) or a `Notice` of a security event (no secret in it).
Codes are never logged and never put into an error message.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from shopbill.services.core.clock import now_rfc3339


@dataclass(frozen=True, repr=False)
class OtpMessage:
    """A one-time code to text; `repr` hides the code so a stray log line cannot carry it."""

    code: str
    minutes: int

    @property
    def text(self) -> str:
        return f"{self.code} is your shop billing code. It expires in {self.minutes} minutes. Never share it."

    def __repr__(self) -> str:
        return f"OtpMessage(code=<hidden>, minutes={self.minutes})"


@dataclass(frozen=True)
class Notice:
    """A security notice to the owner's number: what happened and when, never a code or token.

    `code` is empty and `minutes` 0 so gateways that fill placeholders treat both kinds alike."""

    event: str  # what happened, e.g. "a login on device Pixel 7"
    at: str  # when, as the owner reads it (UTC, to the minute)
    code: str = ""
    minutes: int = 0

    @property
    def text(self) -> str:
        return (
            f"Shop billing: {self.event} at {self.at}. If this was not you, reset your "
            "password now and contact support."
        )


Message = OtpMessage | Notice


class SmsSender(Protocol):
    scheme: str

    async def send(self, phone: str, message: Message) -> None: ...


class FileSender:
    """Appends each message to a JSON-lines file; for development and tests only."""

    scheme = "file"

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    async def send(self, phone: str, message: Message) -> None:
        """Append `{phone, text, sent_at}` to the file."""
        line = json.dumps({"phone": phone, "text": message.text, "sent_at": now_rfc3339()})
        await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        # The file holds one-time passwords: only this user may read it, whatever the umask.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(line + "\n")
