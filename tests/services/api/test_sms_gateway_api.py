"""OTP routes over a real SMS gateway (a loopback fake): the code arrives, a refusal is a 502
without the code, and `/healthz` shows the last outcome until a send works again."""

import logging
from collections.abc import Iterator

import pytest

from shopbill.services.core.names import OTP_DB
from shopbill.services.identity.sms_status import STATUS_ID
from tests.utils.accounts import new_phone
from tests.utils.fake_gateway import FakeGateway, fake_gateway


@pytest.fixture
def gateway(admin) -> Iterator[FakeGateway]:
    with fake_gateway() as started:
        yield started
    # The record is shared by every app of the run: leave no "failing" behind for other tests.
    current = admin.get(f"/{OTP_DB}/{STATUS_ID}")
    if current.status_code == 200:
        admin.delete(f"/{OTP_DB}/{STATUS_ID}", params={"rev": current.json()["_rev"]})


def test_otp_goes_through_msg91_and_a_refusal_shows_in_healthz(app_factory, gateway, caplog):
    caplog.set_level(logging.DEBUG)
    env = {
        "SMS_BACKEND": "msg91:auth-key-1",
        "SMS_GATEWAY_URL": gateway.url,
        "SMS_TEMPLATE_ID": "tmpl-1",
        "SMS_SENDER_ID": "SHPBIL",
        "SMS_TIMEOUT": "0.3",
        "SMS_RETRY_BACKOFF": "0.01",
    }
    with app_factory(**env) as api:
        phone = new_phone()
        assert api.post("/v1/signup/otp", json={"phone": phone}).status_code == 202
        code = gateway.requests[-1].json()["recipients"][0]["otp"]
        assert api.post("/v1/signup/verify", json={"phone": phone, "otp": code}).status_code == 200
        assert api.get("/healthz").json()["sms"]["status"] == "ok"

        gateway.answers = [(401, '{"type": "error", "message": "Authentication failure"}')]
        refused_phone = new_phone()
        r = api.post("/v1/signup/otp", json={"phone": refused_phone})
        refused_code = gateway.requests[-1].json()["recipients"][0]["otp"]
        assert r.status_code == 502 and r.json()["error"] == "sms_failed", r.text
        assert refused_code not in r.text
        health = api.get("/healthz").json()
        assert health["status"] in ("degraded", "unavailable")
        assert health["sms"]["status"] == "failing" and health["sms"]["backend"] == "msg91"
        assert "401" in health["sms"]["detail"] and "Authentication failure" in health["sms"]["detail"]
        assert refused_code not in str(health) and refused_phone[-10:] not in str(health)

        gateway.answers = [(503, "busy"), (200, '{"type": "success"}')]  # one retry, then taken
        before = len(gateway.requests)
        assert api.post("/v1/signup/otp", json={"phone": new_phone()}).status_code == 202
        assert len(gateway.requests) == before + 2
        assert api.get("/healthz").json()["sms"]["status"] == "ok"
    assert code not in caplog.text and refused_code not in caplog.text


def test_a_hung_gateway_answers_502_within_the_bounded_tries(app_factory, gateway):
    gateway.answers = [("hang", "5")]
    env = {
        "SMS_BACKEND": "http:" + gateway.url,
        "SMS_HTTP_BODY": '{"to": "{phone}", "otp": "{code}"}',
        "SMS_TIMEOUT": "0.3",
        "SMS_RETRIES": "1",
        "SMS_RETRY_BACKOFF": "0.01",
    }
    with app_factory(**env) as api:
        r = api.post("/v1/signup/otp", json={"phone": new_phone()})
        code = gateway.requests[-1].json()["otp"]
        assert r.status_code == 502 and code not in r.text
        assert len(gateway.requests) == 2
        sms = api.get("/healthz").json()["sms"]
    assert sms["status"] == "failing" and "did not answer within 0.3 s (2 tries)" in sms["detail"]
