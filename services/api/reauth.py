"""Re-checking the owner's password on a logged-in request that changes who controls the account.

An access token proves only that the caller holds the active phone, which may be stolen and
unlocked; the password proves the owner. Every attempt is counted per account before the check
and a right one is taken back after it, so only wrong passwords use up the hour and racing
guesses cannot slip past the cap together: at most PASSWORD_FAILURES_PER_ACCOUNT_PER_HOUR wrong
guesses an hour, whatever the caller's IP.
"""

from __future__ import annotations

from typing import Any

from shopbill.services.api.errors import ApiError
from shopbill.services.api.otp_sending import too_many
from shopbill.services.core.config import Settings
from shopbill.services.core.security import verify_password_async
from shopbill.services.couch import Couch
from shopbill.services.identity.ratelimit import hit, release

WRONG_PASSWORD = ApiError(401, "invalid_credentials", "the current password is wrong")


async def confirm_password(couch: Couch, settings: Settings, *, account: dict[str, Any], password: str) -> None:
    """Return if `password` is the account's; 429 once the hour's failures are used up, else 401."""
    account_key = str(account["_id"]).removeprefix("account:")
    verdict = await hit(
        couch, scope="password-account", key=account_key, limit=settings.password_failures_per_account_per_hour
    )
    if not verdict.allowed:
        raise too_many(verdict.retry_after, "too many password attempts; try again later")
    if not await verify_password_async(account["password_hash"], password):
        raise WRONG_PASSWORD
    await release(couch, scope="password-account", key=account_key)
