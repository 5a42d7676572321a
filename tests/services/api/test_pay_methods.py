"""The API's payment methods are the schema's: a method the VDU accepts on a phone's doc is one the
REST bodies accept, and no other."""

from __future__ import annotations

from typing import get_args

from shopbill.services.api.models import PayMethod
from shopbill.validators.schemas import PAY_METHODS


def test_the_api_takes_the_payment_methods_the_schema_allows() -> None:
    assert list(get_args(PayMethod)) == PAY_METHODS
