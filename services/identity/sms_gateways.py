"""Real SMS gateways, and the sender SMS_BACKEND names.

- `msg91:<authkey>`: MSG91's flow API (`POST /api/v5/flow/`, header `authkey`, JSON body
  `{template_id, sender, short_url, recipients: [{mobiles, otp, minutes}]}`). The MSG91 template
  (SMS_TEMPLATE_ID) is the one mapped to the DLT template, with variables `##otp##` and `##minutes##`;
  security notices use SMS_NOTICE_TEMPLATE_ID, with variables `##event##` and `##at##`.
- `http:<url>`: any other gateway. SMS_HTTP_BODY (and the values of SMS_HTTP_HEADERS) may use
  `{phone}` (E.164), `{phone_digits}` (without `+`), `{code}`, `{minutes}`, `{text}`,
  `{template_id}`, `{sender_id}` and `{entity_id}`; values are escaped for the content type (JSON
  or form). The URL takes no placeholders, so a code never lands in a URL (URLs get logged).

Both retry a 5xx, a 429, a timeout or a lost connection with exponential back-off, at most
SMS_RETRIES times; any other 4xx is a refusal (a wrong key or template does not heal by retrying).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

import httpx

from shopbill.services.core.config import Settings
from shopbill.services.errors import SettingsError, SmsFailed
from shopbill.services.identity.sms import FileSender, Message, Notice, SmsSender

MSG91_FLOW_URL = "https://control.msg91.com/api/v5/flow/"
DETAIL_CHARS = 200  # enough of a gateway's answer to tell the operator what it wants


def scrubbed(text: str, phone: str, message: Message) -> str:
    """`text` (a gateway's answer) without the code or the phone number, shortened."""
    for secret in (message.code, phone, phone.lstrip("+"), phone[-10:]):
        if secret:  # a notice has no code, and replacing "" would garble the text
            text = text.replace(secret, "…")
    return " ".join(text.split())[:DETAIL_CHARS]


class Delivery:
    """One HTTP request to a gateway, with a timeout and bounded retries."""

    def __init__(self, settings: Settings) -> None:
        self.timeout, self.retries = settings.sms_timeout, settings.sms_retries
        self.backoff = settings.sms_retry_backoff

    async def post(
        self, phone: str, message: Message, *, method: str, url: str, headers: dict[str, str], content: bytes
    ) -> httpx.Response:
        """The gateway's 2xx answer; SmsFailed otherwise (`refused` when retrying cannot help)."""
        problem = ""
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            for attempt in range(self.retries + 1):
                if attempt:
                    await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
                try:
                    response = await client.request(method, url, headers=headers, content=content)
                except httpx.TimeoutException:
                    problem = f"the gateway did not answer within {self.timeout:g} s"
                    continue
                except httpx.TransportError as exc:
                    problem = f"the gateway could not be reached ({type(exc).__name__})"
                    continue
                if response.status_code < 300:
                    return response
                problem = f"the gateway answered {response.status_code}: {scrubbed(response.text, phone, message)}"
                if response.status_code < 500 and response.status_code != 429:
                    raise SmsFailed(problem, refused=True)
        tries = self.retries + 1
        raise SmsFailed(f"{problem} ({tries} {'try' if tries == 1 else 'tries'})", refused=False)


class Msg91Sender:
    """MSG91's flow API with a DLT-registered template."""

    scheme = "msg91"

    def __init__(self, authkey: str, settings: Settings) -> None:
        missing = [
            name
            for name, value in (
                ("the auth key (SMS_BACKEND=msg91:<authkey>)", authkey),
                ("SMS_TEMPLATE_ID", settings.sms_template_id),
                ("SMS_SENDER_ID", settings.sms_sender_id),
            )
            if not value
        ]
        if missing:
            raise SettingsError(f"SMS_BACKEND=msg91 needs {', '.join(missing)}")
        self.authkey, self.settings = authkey, settings
        self.url = settings.sms_gateway_url or MSG91_FLOW_URL
        self.delivery = Delivery(settings)

    async def send(self, phone: str, message: Message) -> None:
        """Text the code through the template; SmsFailed when MSG91 does not take it."""
        recipient: dict[str, str] = {"mobiles": phone.lstrip("+")}
        if isinstance(message, Notice):
            template = self.settings.sms_notice_template_id
            if not template:
                raise SmsFailed(
                    "SMS_NOTICE_TEMPLATE_ID is not set: security notices cannot be sent through MSG91", refused=True
                )
            recipient.update(event=message.event, at=message.at)
        else:
            template = self.settings.sms_template_id
            recipient.update(otp=message.code, minutes=str(message.minutes))
        body: dict[str, Any] = {
            "template_id": template,
            "sender": self.settings.sms_sender_id,
            "short_url": "0",
            "recipients": [recipient],
        }
        if self.settings.sms_dlt_entity_id:  # MSG91's name for the DLT entity id (PE_ID)
            body["PE_ID"] = self.settings.sms_dlt_entity_id
        response = await self.delivery.post(
            phone,
            message,
            method="POST",
            url=self.url,
            content=json.dumps(body).encode(),
            headers={"authkey": self.authkey, "Content-Type": "application/json", "Accept": "application/json"},
        )
        # MSG91 can answer 200 with `{"type": "error", "message": ...}` (e.g. an unmapped template).
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if isinstance(answer, dict) and answer.get("type") == "error":
            detail = scrubbed(str(answer.get("message", "")), phone, message)
            raise SmsFailed(f"the gateway refused the message: {detail}", refused=True)


def _escape(value: str, content_type: str) -> str:
    if "json" in content_type:
        return json.dumps(value)[1:-1]
    if "x-www-form-urlencoded" in content_type:
        return quote_plus(value)
    return value


class HttpSender:
    """Any HTTP gateway: URL, method, headers and a body template from the settings."""

    scheme = "http"

    def __init__(self, url: str, settings: Settings) -> None:
        if not url.startswith(("https://", "http://")):
            raise SettingsError("SMS_BACKEND=http:<url> needs an http(s) URL")
        template = settings.sms_http_body + settings.sms_http_headers
        if "{code}" not in template and "{text}" not in template:
            raise SettingsError("SMS_HTTP_BODY (or SMS_HTTP_HEADERS) must carry {code} or {text}")
        self.url, self.settings = url, settings
        self.headers: dict[str, str] = json.loads(settings.sms_http_headers or "{}")
        self.delivery = Delivery(settings)

    async def send(self, phone: str, message: Message) -> None:
        """Send the filled-in request; SmsFailed when the gateway does not take it."""
        s, content_type = self.settings, self.settings.sms_http_content_type
        values = {
            "phone": phone,
            "phone_digits": phone.lstrip("+"),
            "code": message.code,
            "minutes": str(message.minutes),
            "text": message.text,
            "template_id": s.sms_template_id,
            "sender_id": s.sms_sender_id,
            "entity_id": s.sms_dlt_entity_id,
        }

        def fill(template: str, escape: bool) -> str:
            # Plain replacement, not str.format: JSON bodies are full of braces.
            for name, value in values.items():
                template = template.replace("{" + name + "}", _escape(value, content_type) if escape else value)
            return template

        headers = {
            "Content-Type": content_type,
            **{name: fill(str(value), False) for name, value in self.headers.items()},
        }
        await self.delivery.post(
            phone,
            message,
            method=s.sms_http_method,
            url=self.url,
            headers=headers,
            content=fill(s.sms_http_body, True).encode(),
        )


SENDERS: dict[str, Callable[[str, Settings], SmsSender]] = {
    "file": lambda path, settings: FileSender(path),
    "msg91": Msg91Sender,
    "http": HttpSender,
}


def sender_from_settings(settings: Settings) -> SmsSender:
    """Build the sender SMS_BACKEND names; SettingsError says what is unknown or missing."""
    scheme, _, config = settings.sms_backend.partition(":")
    if scheme not in SENDERS:
        raise SettingsError(f"unknown SMS_BACKEND scheme {scheme!r}; known: {sorted(SENDERS)}")
    return SENDERS[scheme](config, settings)
