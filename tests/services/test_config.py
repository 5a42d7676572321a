import pytest

from shopbill.services.core.config import load_settings
from shopbill.services.errors import SettingsError

STRONG = {
    "SECRET_KEY": "k" * 40,
    "COUCHDB_ADMIN_PASSWORD": "a-long-random-admin-pass",
    "SMS_BACKEND": "msg91:token",
    "APP_ENV": "prod",
}


def test_env_values_are_read_from_the_given_mapping():
    settings = load_settings({"COUCHDB_URL": "http://db:5984/", "VDU_TARGET": "js", "UNRELATED": "x"})
    assert settings.couchdb_url == "http://db:5984"
    assert settings.vdu_target == "js"


def test_public_url_defaults_to_couchdb_url_and_env_wins():
    assert load_settings({"COUCHDB_URL": "http://a:1"}).couchdb_public_url == "http://a:1"
    settings = load_settings({"COUCHDB_URL": "http://a:1", "PUBLIC_COUCHDB_URL": "https://sync.example"})
    assert settings.couchdb_public_url == "https://sync.example"


def test_prod_accepts_explicit_strong_secrets():
    assert load_settings(STRONG).app_env == "prod"


@pytest.mark.parametrize(
    "override",
    [
        {"SECRET_KEY": ""},
        {"SECRET_KEY": "short"},
        {"COUCHDB_ADMIN_PASSWORD": "admin"},
        {"COUCHDB_ADMIN_PASSWORD": ""},
        {"SMS_BACKEND": "file:/tmp/sms.jsonl"},
    ],
)
def test_prod_refuses_default_or_weak_secrets(override):
    with pytest.raises(SettingsError):
        load_settings({**STRONG, **override})


def test_unknown_vdu_target_is_refused():
    with pytest.raises(SettingsError, match="vdu_target"):
        load_settings({"VDU_TARGET": "python"})
