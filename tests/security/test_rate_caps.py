"""Getting around the rate caps: a forged X-Forwarded-For, the edge of a fixed hour, and the
other way round: a stranger using the caps to lock the owner out."""

from __future__ import annotations

import asyncio
import secrets
import time

import httpx
import yaml

from shopbill.services.core.config import load_settings
from shopbill.services.couch import Couch
from shopbill.services.identity import ratelimit
from tests.test_compose import ROOT, SERVICES
from tests.utils.accounts import PASSWORD, login, new_client_ip, new_phone, signup
from tests.utils.live_services import LiveServices


def test_forwarded_for_from_an_untrusted_peer_is_ignored(couch, tmp_path):
    """Uvicorn as deployed, reached from loopback: a client's own X-Forwarded-For is no new IP."""
    services = LiveServices(
        couch.url, couch.admin_user, couch.admin_password, tmp_path, env={"OTP_PER_IP_PER_HOUR": "2"}
    )
    services.start()
    try:
        # A loopback source address of its own: other tests' requests from 127.0.0.1 share that
        # address's bucket for the hour.
        source = f"127.0.{secrets.randbelow(250) + 1}.{secrets.randbelow(250) + 2}"
        transport = httpx.HTTPTransport(local_address=source)
        with httpx.Client(base_url=services.url, timeout=30, transport=transport) as http:
            codes = [
                http.post(
                    "/v1/signup/otp", json={"phone": new_phone()}, headers={"X-Forwarded-For": new_client_ip()}
                ).status_code
                for _ in range(3)
            ]
    finally:
        services.stop()
    assert codes == [202, 202, 429]


def test_forwarded_for_from_the_trusted_proxy_names_the_client(app_factory):
    proxy = "198.51.100.7"
    with app_factory(client_ip=proxy, FORWARDED_ALLOW_IPS=proxy, OTP_PER_IP_PER_HOUR="1") as api:
        client = new_client_ip()
        # The proxy appends the address it saw; what the client wrote to the left is ignored.
        first = api.post(
            "/v1/signup/otp", json={"phone": new_phone()}, headers={"X-Forwarded-For": f"{new_client_ip()}, {client}"}
        )
        again = api.post(
            "/v1/signup/otp", json={"phone": new_phone()}, headers={"X-Forwarded-For": f"{new_client_ip()}, {client}"}
        )
        other = api.post("/v1/signup/otp", json={"phone": new_phone()}, headers={"X-Forwarded-For": new_client_ip()})
    assert [first.status_code, again.status_code, other.status_code] == [202, 429, 202]


def test_compose_trusts_exactly_the_proxys_address():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    for services, proxy in (("services", "proxy"), ("services-cluster", "proxy-cluster")):
        address = compose["services"][proxy]["networks"]["default"]["ipv4_address"]
        assert SERVICES[services]["environment"]["FORWARDED_ALLOW_IPS"] == address
    assert '"--no-proxy-headers"' in (ROOT / "Dockerfile").read_text()
    assert "header_up X-Forwarded-For {remote_host}" in (ROOT / "couchdb" / "Caddyfile").read_text()


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


def test_a_burst_at_the_turn_of_the_hour_gets_the_limit_not_twice(couch, monkeypatch):
    clock = Clock(1_700_002_800 - 2.0)  # two seconds before a full hour
    monkeypatch.setattr(ratelimit, "time", clock)
    settings = load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
        }
    )
    key = new_client_ip()

    async def burst() -> list[bool]:
        client = Couch(settings)
        try:
            allowed = []
            for at in (clock.now, clock.now + 4.0):  # 10:59:58, then 11:00:02
                clock.now = at
                for _ in range(5):
                    verdict = await ratelimit.hit(client, scope="test", key=key, limit=5)
                    allowed.append(verdict.allowed)
            clock.now += 3600 + 300  # an hour and a slot later the first burst has slid out
            allowed.append((await ratelimit.hit(client, scope="test", key=key, limit=5)).allowed)
            return allowed
        finally:
            await client.aclose()

    assert asyncio.run(burst()) == [True] * 5 + [False] * 5 + [True]


def test_a_stranger_cannot_lock_the_owner_out_of_their_own_device(app_factory, sms_file):
    with app_factory(client_ip=new_client_ip(), LOGIN_FAILURES_PER_PHONE_PER_HOUR="3") as api:
        owner = signup(api, sms_file)
        login(api, owner, "owners-phone")
    with app_factory(client_ip=new_client_ip(), LOGIN_FAILURES_PER_PHONE_PER_HOUR="3") as stranger:
        codes = [
            stranger.post(
                "/v1/login", json={"phone": owner["phone"], "password": f"guess-{i}-xx", "device_id": "strangers-phone"}
            ).status_code
            for i in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        r = stranger.post(
            "/v1/login", json={"phone": owner["phone"], "password": PASSWORD, "device_id": "strangers-phone"}
        )
        assert r.status_code == 429, "the capped phone stays capped for other devices"
    with app_factory(client_ip=new_client_ip(), LOGIN_FAILURES_PER_PHONE_PER_HOUR="3") as api:
        r = api.post("/v1/login", json={"phone": owner["phone"], "password": PASSWORD, "device_id": "owners-phone"})
        assert r.status_code == 200, r.text


def test_requests_refused_by_the_cooldown_do_not_use_up_the_hour(app_factory):
    with app_factory(client_ip=new_client_ip(), OTP_PER_PHONE_PER_HOUR="2", OTP_RESEND_SECONDS="1") as api:
        phone = new_phone()
        codes = [api.post("/v1/signup/otp", json={"phone": phone}).status_code for _ in range(5)]
        assert codes == [202, 429, 429, 429, 429]
        time.sleep(1.2)
        assert api.post("/v1/signup/otp", json={"phone": phone}).status_code == 202
