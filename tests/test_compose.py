"""compose.yaml and couchdb/local.ini agree with each other and with the services' settings."""

import configparser
import re
from pathlib import Path

import yaml

from shopbill.services.core.config import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())


def ini() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read(ROOT / "couchdb" / "local.ini")
    return parser


def test_couchdb_is_the_official_3x_image_with_our_ini_and_a_volume():
    couchdb = COMPOSE["services"]["couchdb"]
    assert re.fullmatch(r"couchdb:3\.\d+\.\d+", couchdb["image"])
    mounts = {v.split(":")[0]: v.split(":")[1] for v in couchdb["volumes"]}
    assert mounts["./couchdb/local.ini"].startswith("/opt/couchdb/etc/local.d/")
    assert (ROOT / "couchdb" / "local.ini").exists()
    assert mounts["couchdb-data"] == "/opt/couchdb/data" and "couchdb-data" in COMPOSE["volumes"]
    assert {"COUCHDB_USER", "COUCHDB_PASSWORD", "COUCHDB_SECRET"} <= set(couchdb["environment"])


def test_local_ini_sets_single_node_q1_require_valid_user_and_cors():
    conf = ini()
    assert conf["couchdb"]["single_node"] == "true"
    assert conf["cluster"]["q"] == "1"
    assert conf["chttpd"]["require_valid_user"] == "true"
    assert conf["chttpd_auth"]["require_valid_user"] == "true"
    assert conf["chttpd"]["enable_cors"] == "true" and conf["cors"]["origins"]
    assert "admins" not in conf  # the admin comes from the environment, never from a file


def test_services_env_matches_settings_and_points_at_the_couchdb_service():
    services = COMPOSE["services"]["services"]
    env = services["environment"]
    fields = {name.upper() for name in Settings.model_fields}
    assert set(env) <= fields, set(env) - fields
    assert env["APP_ENV"] == "prod"
    port = ini()["chttpd"]["port"]
    assert env["COUCHDB_URL"] == f"http://couchdb:{port}"
    assert f"{port}:{port}" in COMPOSE["services"]["couchdb"]["ports"]
    for secret in ("COUCHDB_ADMIN_PASSWORD", "SECRET_KEY"):
        assert ":?" in env[secret], f"{secret} must have no default"
    assert services["depends_on"]["couchdb"]["condition"] == "service_healthy"


def test_every_service_has_a_healthcheck_and_the_ports_match_the_dockerfile():
    for name, service in COMPOSE["services"].items():
        assert service["healthcheck"]["test"], name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"--port", "8000"' in dockerfile
    assert "8000:8000" in COMPOSE["services"]["services"]["ports"]
    assert "8000/healthz" in " ".join(COMPOSE["services"]["services"]["healthcheck"]["test"])
