"""Pluggable SMS senders, chosen by SMS_BACKEND (`<scheme>:<config>`).

- `file:<path>` (development and tests): appends one JSON line `{phone, text, sent_at}` per message.
- `msg91:<authkey>` and `http:<url>`: real gateways, in sms_gateways.py (which also builds the
  sender SMS_BACKEND names).

A sender gets the code itself (DLT gateways fill it into their registered template) and the text a
plain sender delivers. Codes are never logged and never put into an error message.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from shopbill.services.errors import ServiceError


@dataclass(frozen=True, repr=False)
class OtpMessage:
    """A one-time code to text; `repr` hides the code so a stray log line cannot carry it."""

    code: str
    minutes: int

    @property
    def text(self) -> str:
        return (f"{self.code} is your shop billing code. It expires in {self.minutes} minutes. "
                "Never share it.")

    def __repr__(self) -> str:
        return f"OtpMessage(code=<hidden>, minutes={self.minutes})"


class SmsFailed(ServiceError):
    """The gateway did not take the message; `detail` never contains the code."""

    def __init__(self, detail: str, *, refused: bool) -> None:
        super().__init__(detail)
        self.detail, self.refused = detail, refused


class SmsSender(Protocol):
    scheme: str

    async def send(self, phone: str, message: OtpMessage) -> None: ...


class FileSender:
    """Appends each message to a JSON-lines file; for development and tests only."""

    scheme = "file"

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    async def send(self, phone: str, message: OtpMessage) -> None:
        """Append `{phone, text, sent_at}` to the file."""
        line = json.dumps({"phone": phone, "text": message.text,
                           "sent_at": datetime.now(UTC).isoformat()})
        await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        # The file holds one-time passwords: only this user may read it, whatever the umask.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(line + "\n")
