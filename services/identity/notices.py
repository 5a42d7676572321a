"""Security notices: an SMS to the owner's number after every event that could be an attacker's.

Logins, password and phone changes, new API keys and deletion requests are each texted to the
owner, so someone acting from a stolen phone or with a stolen password is noticed. A notice says
what happened and when, never a code, token or password. Sending is best effort: the event has
already happened, so a gateway that fails is logged and shown on `/healthz`, never an error of
the request.
"""

from __future__ import annotations

import logging

from shopbill.services.core import clock
from shopbill.services.couch import Couch
from shopbill.services.errors import ServiceError, SmsFailed
from shopbill.services.identity.sms import Notice, SmsSender
from shopbill.services.identity.sms_status import record_outcome

log = logging.getLogger(__name__)


async def send_notice(couch: Couch, sms: SmsSender | None, phone: str, event: str) -> None:
    """Text `event` (plain words, no secrets) to `phone`; failures are logged, not raised."""
    if sms is None:
        return
    try:
        await sms.send(phone, Notice(event=event, at=clock.now().strftime("%d %b %Y %H:%M UTC")))
    except SmsFailed as exc:
        log.warning("security notice not sent through %s: %s", sms.scheme, exc.detail)
        await record_outcome(couch, backend=sms.scheme, error=exc.detail)
        return
    except (ServiceError, OSError) as exc:
        log.warning("security notice not sent: %s", type(exc).__name__)
        return
    await record_outcome(couch, backend=sms.scheme, error=None)
