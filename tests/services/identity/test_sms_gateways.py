"""The SMS gateways against a real HTTP server on loopback: success, refusal, retry, timeout."""

import asyncio
import json
import logging
from urllib.parse import parse_qs

import pytest

from shopbill.services.core.config import load_settings
from shopbill.services.errors import SettingsError, SmsFailed
from shopbill.services.identity.sms import OtpMessage
from shopbill.services.identity.sms_gateways import HttpSender, Msg91Sender, sender_from_settings
from tests.utils.fake_gateway import fake_gateway

PHONE, CODE = "+919876543210", "493817"
FAST = {"SMS_TIMEOUT": "0.3", "SMS_RETRY_BACKOFF": "0.01", "SMS_RETRIES": "2"}
PROD = {"APP_ENV": "prod", "SECRET_KEY": "k" * 40, "COUCHDB_ADMIN_PASSWORD": "a-long-random-pass"}


def msg91(url: str, **env: str) -> Msg91Sender:
    return Msg91Sender(
        "auth-key-1",
        load_settings(
            {
                "SMS_GATEWAY_URL": url,
                "SMS_TEMPLATE_ID": "tmpl-1",
                "SMS_SENDER_ID": "SHPBIL",
                "SMS_DLT_ENTITY_ID": "1101234567890",
                **FAST,
                **env,
            }
        ),
    )


def send(sender, code: str = CODE) -> None:
    asyncio.run(sender.send(PHONE, OtpMessage(code, 5)))


def test_msg91_posts_the_flow_request_with_the_dlt_ids():
    with fake_gateway() as gateway:
        send(msg91(gateway.url))
    [request] = gateway.requests
    assert request.method == "POST" and request.path == "/send"
    assert request.headers["authkey"] == "auth-key-1"
    assert request.json() == {
        "template_id": "tmpl-1",
        "sender": "SHPBIL",
        "short_url": "0",
        "PE_ID": "1101234567890",
        "recipients": [{"mobiles": "919876543210", "otp": CODE, "minutes": "5"}],
    }


def test_generic_sender_fills_the_body_and_headers_for_its_content_type():
    with fake_gateway() as gateway:
        send(
            HttpSender(
                gateway.url,
                load_settings(
                    {
                        **FAST,
                        "SMS_HTTP_METHOD": "PUT",
                        "SMS_TEMPLATE_ID": "t9",
                        "SMS_HTTP_CONTENT_TYPE": "application/x-www-form-urlencoded",
                        "SMS_HTTP_HEADERS": json.dumps({"Authorization": "Bearer tok"}),
                        "SMS_HTTP_BODY": "to={phone}&msg={text}&dlt={template_id}",
                    }
                ),
            )
        )
    [request] = gateway.requests
    assert request.method == "PUT" and request.headers["Authorization"] == "Bearer tok"
    form = parse_qs(request.body.decode())
    assert form["to"] == [PHONE] and form["dlt"] == ["t9"]
    assert form["msg"][0].startswith(f"{CODE} is your shop billing code")


def test_a_json_body_template_gets_json_escaped_values():
    with fake_gateway() as gateway:
        send(
            HttpSender(
                gateway.url,
                load_settings({**FAST, "SMS_HTTP_BODY": '{"to": "{phone_digits}", "otp": "{code}", "text": "{text}"}'}),
            )
        )
    body = gateway.requests[0].json()
    assert body["to"] == "919876543210" and body["otp"] == CODE


def test_a_refusal_is_not_retried_and_its_detail_hides_the_code(caplog):
    caplog.set_level(logging.DEBUG)
    with fake_gateway() as gateway:
        gateway.answers = [(401, f'{{"type": "error", "message": "bad authkey for {CODE} to {PHONE}"}}')]
        with pytest.raises(SmsFailed) as failure:
            send(msg91(gateway.url))
    assert len(gateway.requests) == 1
    assert failure.value.refused and "401" in failure.value.detail and "bad authkey" in failure.value.detail
    assert CODE not in failure.value.detail and "9876543210" not in failure.value.detail
    assert CODE not in str(failure.value) and CODE not in caplog.text


def test_msg91_error_answer_with_200_is_a_refusal():
    with fake_gateway() as gateway:
        gateway.answers = [(200, '{"type": "error", "message": "Template not approved"}')]
        with pytest.raises(SmsFailed, match="Template not approved") as failure:
            send(msg91(gateway.url))
    assert failure.value.refused


def test_a_5xx_is_retried_with_back_off_until_the_gateway_takes_it(caplog):
    caplog.set_level(logging.DEBUG)
    with fake_gateway() as gateway:
        gateway.answers = [(503, "busy"), (500, "oops"), (200, '{"type": "success"}')]
        send(msg91(gateway.url))
    assert len(gateway.requests) == 3
    assert all(r.json()["recipients"][0]["otp"] == CODE for r in gateway.requests)
    assert CODE not in caplog.text


def test_retries_are_bounded():
    with fake_gateway() as gateway:
        gateway.answers = [(502, "bad gateway")]
        with pytest.raises(SmsFailed, match="502.*3 tries") as failure:
            send(msg91(gateway.url))
    assert len(gateway.requests) == 3 and not failure.value.refused


def test_a_hung_gateway_times_out_after_bounded_tries(caplog):
    caplog.set_level(logging.DEBUG)
    with fake_gateway() as gateway:
        gateway.answers = [("hang", "5")]
        with pytest.raises(SmsFailed, match="did not answer within 0.3 s") as failure:
            send(msg91(gateway.url, SMS_RETRIES="1"))
    assert len(gateway.requests) == 2 and not failure.value.refused
    assert CODE not in failure.value.detail and CODE not in caplog.text


def test_sender_from_settings_names_what_a_gateway_lacks():
    with pytest.raises(ValueError, match="SMS_TEMPLATE_ID.*SMS_SENDER_ID"):
        sender_from_settings(load_settings({"SMS_BACKEND": "msg91:key"}))
    with pytest.raises(ValueError, match="must carry"):
        sender_from_settings(load_settings({"SMS_BACKEND": "http:https://sms.example/send"}))
    with pytest.raises(ValueError, match="unknown SMS_BACKEND"):
        sender_from_settings(load_settings({"SMS_BACKEND": "pigeon:coo"}))
    sender = sender_from_settings(
        load_settings({"SMS_BACKEND": "msg91:key", "SMS_TEMPLATE_ID": "t", "SMS_SENDER_ID": "SHPBIL"})
    )
    assert sender.scheme == "msg91"


def test_prod_accepts_the_gateways_and_refuses_the_file_sender_and_plain_http():
    assert load_settings({**PROD, "SMS_BACKEND": "msg91:key"}).sms_backend == "msg91:key"
    assert load_settings({**PROD, "SMS_BACKEND": "http:https://sms.example/send"}).app_env == "prod"
    for bad in (
        {"SMS_BACKEND": "file:/tmp/sms.jsonl"},
        {"SMS_BACKEND": "http:http://sms.example/x"},
        {"SMS_BACKEND": "msg91:key", "SMS_GATEWAY_URL": "http://sms.example/"},
    ):
        with pytest.raises(SettingsError):
            load_settings({**PROD, **bad})


@pytest.mark.parametrize(
    "env",
    [{"SMS_HTTP_HEADERS": "[1]"}, {"SMS_HTTP_HEADERS": "{oops"}, {"SMS_RETRIES": "50"}, {"SMS_HTTP_METHOD": "DELETE"}],
)
def test_unusable_gateway_settings_are_refused_at_load(env):
    with pytest.raises(SettingsError):
        load_settings(env)


def test_the_message_never_shows_its_code_in_a_repr():
    assert CODE not in repr(OtpMessage(CODE, 5))
