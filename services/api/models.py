"""Request and response bodies of the accounts API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from shopbill.services.errors import InvalidPhone
from shopbill.services.identity.phones import normalize_phone


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except InvalidPhone as exc:
        raise ValueError(str(exc)) from exc


def _password(value: str) -> str:
    if value.isdigit():
        raise ValueError("must not be all digits")
    return value


Phone = Annotated[str, StringConstraints(max_length=32), AfterValidator(_phone)]
# How money changed hands (validators/schemas.py PAY_METHODS, which a test holds equal to this).
PayMethod = Literal["cash", "upi", "card", "other"]
NewPassword = Annotated[str, StringConstraints(min_length=8, max_length=128), AfterValidator(_password)]
AnyPassword = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Otp = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=2048)]
DeviceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PhoneIn(Body):
    phone: Phone


class OtpSent(BaseModel):
    expires_in: int
    resend_after: int


class SignupVerifyIn(Body):
    phone: Phone
    otp: Otp


class SignupTokenOut(BaseModel):
    signup_token: str


class BusinessIn(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    category: Literal["automobile", "electrical", "general_trading", "other"]
    address: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None
    gstin: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")] | None = None
    state_code: Annotated[str, StringConstraints(pattern=r"^(0[1-9]|[12][0-9]|3[0-8]|97)$")] | None = None


class SignupCompleteIn(Body):
    signup_token: Token
    password: NewPassword
    owner_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    business: BusinessIn


class SignupOut(BaseModel):
    account_id: str
    business_id: str


class LoginIn(Body):
    phone: Phone
    password: AnyPassword
    device_id: DeviceId
    device_name: Annotated[str, StringConstraints(max_length=60)] | None = None


class CouchCredentials(BaseModel):
    url: str
    db: str
    username: str
    password: str


class LoginOut(BaseModel):
    access_token: str
    refresh_token: str
    couchdb: CouchCredentials
    device_id: str
    invoice_series: str


class RefreshIn(Body):
    refresh_token: Token


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str


class PasswordChangeIn(Body):
    old_password: AnyPassword
    new_password: NewPassword


class ResetCompleteIn(Body):
    phone: Phone
    otp: Otp
    new_password: NewPassword


class PhoneChangeIn(Body):
    new_phone: Phone
    password: AnyPassword  # a stolen unlocked phone alone must not move the account


class PhoneChangeCompleteIn(Body):
    otp: Otp  # the code texted to the new number
    current_otp: Otp  # the code texted to the current number


class OtpIn(Body):
    otp: Otp


class AccountDeleteIn(Body):
    password: AnyPassword
    otp: Otp


class Ok(BaseModel):
    ok: bool = True
