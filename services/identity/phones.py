"""Phone numbers: every phone is stored and compared in E.164 form (default region India)."""

from __future__ import annotations

import phonenumbers

from shopbill.services.errors import InvalidPhone

DEFAULT_REGION = "IN"


def normalize_phone(text: str, *, region: str = DEFAULT_REGION) -> str:
    """Return `text` as E.164 (`+919876543210`); accepts the common Indian spellings."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone("not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
