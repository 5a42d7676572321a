"""All settings of the services, read from an environment mapping (os.environ by default).

Tests pass a dict instead of patching globals. In `prod`, generated, default or empty secrets are
refused; in `dev`, `make run` generates missing secrets once and keeps them under `.data/`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from shopbill.services.core.netaddr import parse_networks
from shopbill.services.errors import SettingsError

DEFAULT_ADMIN_PASSWORDS = {"", "admin", "password", "changeme", "adminpass"}
MIN_SECRET_KEY_LENGTH = 32


class Settings(BaseModel):
    """The services' configuration; field names are the lower-cased environment variable names."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    app_env: Literal["dev", "prod"] = "dev"
    couchdb_url: str = "http://127.0.0.1:5984"
    public_couchdb_url: str = ""
    couchdb_admin_user: str = "admin"
    couchdb_admin_password: str = ""
    couchdb_data_dir: str = ".data/couchdb"
    couchdb_timeout: float = 2.0
    secret_key: str = ""
    sms_backend: str = "file:.data/sms.jsonl"
    # SMS gateways (services/identity/sms_gateways.py). Indian operators deliver only texts that
    # match a DLT-registered template from a registered sender and entity, hence these ids.
    sms_template_id: str = ""
    sms_notice_template_id: str = ""  # the DLT template of security notices (##event##, ##at##)
    sms_sender_id: str = ""
    sms_dlt_entity_id: str = ""
    sms_gateway_url: str = ""  # msg91: its flow API unless set; http: the URL is in SMS_BACKEND
    sms_http_method: Literal["POST", "PUT", "PATCH"] = "POST"
    sms_http_headers: str = ""  # JSON object; values may use the body's placeholders
    sms_http_body: str = ""
    sms_http_content_type: str = "application/json"
    sms_timeout: float = 5.0
    sms_retries: int = 2
    sms_retry_backoff: float = 0.5
    vdu_target: Literal["auto", "mango", "js"] = "auto"
    # OTP rules and rate caps (per rolling hour unless said otherwise); env overrides them.
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    otp_resend_seconds: int = 30
    otp_per_phone_per_hour: int = 5
    otp_per_ip_per_hour: int = 30
    login_failures_per_phone_per_hour: int = 10
    login_failures_per_ip_per_hour: int = 50
    # Wrong current passwords on the logged-in re-checks (password change, phone change).
    password_failures_per_account_per_hour: int = 5
    # A phone change without a code to the current number (a lost SIM) waits this long, so the
    # current number's owner can cancel it (identity/phone_changes.py).
    phone_change_wait_hours: float = 72.0
    # Peers whose X-Forwarded-For is believed (comma-separated IPs or CIDRs): the reverse proxy
    # only. Empty: the TCP peer is the client, whatever headers it sends.
    forwarded_allow_ips: str = ""
    access_token_seconds: int = 15 * 60
    refresh_token_days: int = 90
    refresh_retry_grace_seconds: int = 60
    # Backups (services/ops/backup.py): a second CouchDB that every changed shop database is
    # replicated to. Empty = no backups. The URL carries no credentials (they are secrets, kept
    # out of URLs that end up in logs); the user defaults to COUCHDB_ADMIN_USER. The URL must be
    # reachable from the worker and from the primary CouchDB, which runs the replications.
    backup_couchdb_url: str = ""
    backup_couchdb_admin_user: str = ""
    backup_couchdb_admin_password: str = ""
    backup_concurrency: int = 4

    @field_validator("couchdb_url", "public_couchdb_url", "backup_couchdb_url")
    @classmethod
    def _strip_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @field_validator("sms_http_headers")
    @classmethod
    def _headers_are_a_json_object(cls, text: str) -> str:
        if text and not isinstance(_json_or_none(text), dict):
            raise ValueError("SMS_HTTP_HEADERS must be a JSON object of header names to values")
        return text

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxy_addresses(cls, text: str) -> str:
        parse_networks(text)  # refuse a typo at start-up, not on the first request
        return text

    @field_validator("sms_retries")
    @classmethod
    def _bounded_retries(cls, retries: int) -> int:
        if not 0 <= retries <= 5:
            raise ValueError("SMS_RETRIES must be between 0 and 5")
        return retries

    @model_validator(mode="after")
    def _check_secrets(self) -> Settings:
        if self.app_env != "prod":
            return self
        problems = []
        if len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            problems.append(f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters")
        if self.couchdb_admin_password in DEFAULT_ADMIN_PASSWORDS:
            problems.append("COUCHDB_ADMIN_PASSWORD is empty or a default")
        if self.backup_couchdb_url and self.backup_couchdb_admin_password in DEFAULT_ADMIN_PASSWORDS:
            problems.append("BACKUP_COUCHDB_ADMIN_PASSWORD is empty or a default")
        if self.sms_backend.startswith("file:"):
            problems.append("SMS_BACKEND=file: is for development only")
        if "http://" in (self.sms_backend + " " + self.sms_gateway_url):
            problems.append("SMS gateway URLs must be https:// (the messages carry login codes)")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def couchdb_public_url(self) -> str:
        """The URL phones replicate with (PUBLIC_COUCHDB_URL, else COUCHDB_URL)."""
        return self.public_couchdb_url or self.couchdb_url

    def backup_settings(self) -> Settings:
        """These settings pointed at the backup CouchDB (for a `Couch` client of it)."""
        return self.model_copy(
            update={
                "couchdb_url": self.backup_couchdb_url,
                "couchdb_admin_user": self.backup_couchdb_admin_user or self.couchdb_admin_user,
                "couchdb_admin_password": self.backup_couchdb_admin_password,
            }
        )


def _json_or_none(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from `environ` (default: os.environ); raise SettingsError when unusable."""
    env = os.environ if environ is None else environ
    fields = Settings.model_fields
    values = {key.lower(): value for key, value in env.items() if key.lower() in fields}
    try:
        return Settings.model_validate(values)
    except ValueError as exc:
        raise SettingsError(str(exc)) from exc
