"""compose.yaml, couchdb/*.ini, the Caddyfile and the monitoring files agree with each other and
with the services' settings (schema-level: no Docker daemon runs here)."""

import configparser
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

from shopbill.services.api import metrics
from shopbill.services.core.config import Settings
from tests.utils.public_proxy import proxy_env

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
SINGLE = {"couchdb", "services", "auditor", "backup", "proxy", "prometheus"}
CLUSTER = {
    "couchdb-1",
    "couchdb-2",
    "couchdb-3",
    "cluster-setup",
    "proxy-cluster",
    "services-cluster",
    "auditor-cluster",
    "backup-cluster",
    "prometheus",
}
NODES = ("couchdb-1", "couchdb-2", "couchdb-3")
APP_CONTAINERS = ("services", "auditor", "backup", "services-cluster", "auditor-cluster", "backup-cluster")


def ini(name: str = "local.ini") -> configparser.ConfigParser:
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read(ROOT / "couchdb" / name)
    return parser


def profile(name: str) -> set[str]:
    return {svc for svc, spec in SERVICES.items() if name in spec.get("profiles", [])}


def mounts(service: dict) -> dict[str, str]:
    return {v.split(":")[0]: v.split(":")[1] for v in service.get("volumes", [])}


def test_compose_file_matches_the_compose_spec_schema():
    schema = json.loads((ROOT / "tests" / "fixtures" / "compose-spec.json").read_text())
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft201909Validator(schema).iter_errors(COMPOSE)]
    assert not errors, errors


def test_profiles_single_and_cluster_hold_the_expected_services():
    assert profile("single") == SINGLE
    assert profile("cluster") == CLUSTER
    assert all(spec.get("profiles") for spec in SERVICES.values()), "no service outside a profile"
    assert SERVICES["services-cluster"]["deploy"]["replicas"] == 2


def test_couchdb_is_the_official_3x_image_with_our_ini_and_a_volume():
    for name in ("couchdb", *NODES):
        couchdb = SERVICES[name]
        assert re.fullmatch(r"couchdb:3\.\d+\.\d+", couchdb["image"]), name
        mounted = mounts(couchdb)
        assert mounted["./couchdb/local.ini"].startswith("/opt/couchdb/etc/local.d/")
        data = next(src for src, dst in mounted.items() if dst == "/opt/couchdb/data")
        assert data in COMPOSE["volumes"], name
        assert {"COUCHDB_USER", "COUCHDB_PASSWORD", "COUCHDB_SECRET"} <= set(couchdb["environment"])
        max_open = int(ini()["couchdb"]["max_dbs_open"])
        assert couchdb["ulimits"]["nofile"]["soft"] >= 4 * max_open, "fds for every open db"
    assert len({next(s for s, d in mounts(SERVICES[n]).items() if d == "/opt/couchdb/data") for n in NODES}) == 3, (
        "each node keeps its own data"
    )
    for src in {src for spec in SERVICES.values() for src in mounts(spec) if src.startswith("./")}:
        assert (ROOT / src).exists(), src


def test_local_ini_sets_single_node_q1_require_valid_user_cors_and_the_prometheus_port():
    conf = ini()
    assert conf["couchdb"]["single_node"] == "true"
    assert conf["cluster"]["q"] == "1"
    assert conf["chttpd"]["require_valid_user"] == "true"
    assert conf["chttpd_auth"]["require_valid_user"] == "true"
    # The app shares the one public origin: no other origin gets CORS answers.
    assert conf["chttpd"]["enable_cors"] == "true" and conf["cors"]["origins"] == ""
    assert "x-couchdb-www-authenticate" in conf["cors"]["headers"]
    assert "admins" not in conf  # the admin comes from the environment, never from a file
    assert conf["prometheus"]["additional_port"] == "true"


def test_cluster_nodes_join_as_three_copies_of_one_shard():
    cluster = ini("cluster.ini")
    assert cluster["couchdb"]["single_node"] == "false"
    assert (cluster["cluster"]["q"], cluster["cluster"]["n"]) == ("1", "3")
    names = []
    for node in NODES:
        spec = SERVICES[node]
        env = spec["environment"]
        names.append(env["NODENAME"])
        assert spec["hostname"] == env["NODENAME"]
        assert env["NODENAME"] in spec["networks"]["default"]["aliases"]
        assert env["COUCHDB_ERLANG_COOKIE"].startswith("${COUCHDB_ERLANG_COOKIE:?")
        mounted = mounts(spec)
        # cluster.ini is read after local.ini (local.d is read in name order), so it wins.
        assert mounted["./couchdb/local.ini"] < mounted["./couchdb/cluster.ini"]
    setup = SERVICES["cluster-setup"]
    assert setup["environment"]["CLUSTER_NODES"].split(",") == names
    assert setup["command"][-1] == "shopbill.services.ops.cluster_setup" and setup["restart"] == "no"
    assert all(setup["depends_on"][n]["condition"] == "service_healthy" for n in NODES)
    upstreams = SERVICES["proxy-cluster"]["environment"]["COUCHDB_UPSTREAMS"].split()
    assert upstreams == [f"{node}:{ini()['chttpd']['port']}" for node in NODES]


def test_app_containers_env_matches_settings_and_points_at_couchdb():
    fields = {name.upper() for name in Settings.model_fields}
    port = ini()["chttpd"]["port"]
    for name in APP_CONTAINERS:
        env = SERVICES[name]["environment"]
        assert set(env) <= fields, (name, set(env) - fields)
        assert env["APP_ENV"] == "prod"
        expected = "http://couchdb:" if name in SINGLE else "http://proxy-cluster:"
        assert env["COUCHDB_URL"] == f"{expected}{port}", name
        assert env["PUBLIC_COUCHDB_URL"].startswith("https://${PUBLIC_HOST")
        for secret in ("COUCHDB_ADMIN_PASSWORD", "SECRET_KEY", "BACKUP_COUCHDB_ADMIN_PASSWORD", "BACKUP_COUCHDB_URL"):
            assert ":?" in env[secret], f"{name}: {secret} must have no default"
    assert SERVICES["services"]["depends_on"]["couchdb"]["condition"] == "service_healthy"
    assert SERVICES["auditor"]["command"][-1] == "shopbill.services.integrity.auditor"
    assert SERVICES["backup"]["command"][-1] == "shopbill.services.ops.backup"


def test_every_long_running_service_has_a_healthcheck_and_the_ports_match_the_dockerfile():
    for name, service in SERVICES.items():
        if service.get("restart") != "no":
            assert service["healthcheck"]["test"], name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"--port", "8000"' in dockerfile
    assert "127.0.0.1:8000:8000" in SERVICES["services"]["ports"]
    assert "8000/healthz" in " ".join(SERVICES["services"]["healthcheck"]["test"])


def test_only_the_proxy_is_published_beyond_loopback():
    for name, service in SERVICES.items():
        public = [p for p in service.get("ports", []) if not str(p).startswith("127.0.0.1:")]
        if name in ("proxy", "proxy-cluster"):
            assert {"80:80", "443:443"} <= set(public), name
        else:
            assert public == [], name
    port = ini()["chttpd"]["port"]
    assert f"127.0.0.1:{port}:{port}" in SERVICES["couchdb"]["ports"]


CADDYFILE = (ROOT / "couchdb" / "Caddyfile").read_text()


def test_caddyfile_caps_changes_feeds_limits_bodies_and_sets_security_headers():
    assert re.search(r"servers :443 \{\s*timeouts \{[^}]*\bwrite (\d+)s", CADDYFILE)
    write = int(re.search(r"\bwrite (\d+)s", CADDYFILE).group(1))
    assert write <= 60  # the cap on one `_changes` request
    assert "Strict-Transport-Security" in CADDYFILE and 'X-Content-Type-Options "nosniff"' in CADDYFILE
    assert re.search(r"max_size 64KB", CADDYFILE) and re.search(r"max_size 16MB", CADDYFILE)
    assert re.search(r"@internal path /metrics .*_prometheus", CADDYFILE)
    used = set(re.findall(r"\{\$([A-Z_]+)\}", CADDYFILE))  # placeholders without a default
    for name in ("proxy", "proxy-cluster"):
        assert used <= set(SERVICES[name]["environment"]), (name, used)
        assert mounts(SERVICES[name])["./couchdb/Caddyfile"] == "/etc/caddy/Caddyfile"


needs_caddy = pytest.mark.skipif(
    shutil.which("caddy") is None,
    reason="the caddy binary is not installed here (apt-get install caddy to validate the Caddyfile with Caddy itself)",
)


def adapt(env: dict[str, str]) -> dict:
    """The Caddyfile as Caddy's JSON config, with `env` as its environment."""
    env = {**env, "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    run = subprocess.run(
        ["caddy", "adapt", "--config", str(ROOT / "couchdb" / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def production_config(proxy: str = "proxy") -> dict:
    env = {k: v for k, v in SERVICES[proxy]["environment"].items() if not v.startswith("${")}
    return adapt(env | {"PUBLIC_HOST": "shop.example.com", "ACME_EMAIL": "ops@example.com"})


@needs_caddy
@pytest.mark.parametrize("proxy", ["proxy", "proxy-cluster"])
def test_caddy_accepts_the_caddyfile_with_each_profiles_environment(proxy):
    config = production_config(proxy)
    servers = config["apps"]["http"]["servers"]
    public = next(s for s in servers.values() if s["listen"] == [":443"])
    assert public["write_timeout"] <= 60 * 10**9
    internal = next(s for s in servers.values() if s["listen"] == [":5984"])
    assert "write_timeout" not in internal  # workers' long replications are not cut
    # The test-only knobs keep production as it was: the admin endpoint the proxy's health check
    # reads, CouchDB's /_up for the upstreams' health, the services on port 8000.
    assert config["admin"]["listen"] == "localhost:2019"
    assert "127.0.0.1:2019" in " ".join(SERVICES[proxy]["healthcheck"]["test"])
    text = json.dumps(config)
    assert '"uri": "/_up"' in text and '"port": "8000"' in text


@needs_caddy
def test_caddy_accepts_the_caddyfile_with_the_loopback_test_environment(tmp_path):
    config = adapt(
        proxy_env(
            port=18080,
            couch_url="http://127.0.0.1:15984",
            services_port=18000,
            admin_cidrs="127.0.0.2/32",
            internal_port=15985,
            admin_port=12019,
            home=tmp_path,
        )
    )
    listens = sorted(s["listen"] for s in config["apps"]["http"]["servers"].values())
    assert listens == [[":15985"], [":18080"]]  # Caddy binds no host named in a site address
    assert config["admin"]["listen"] == "127.0.0.1:12019"


def phone_allow_list(config: dict) -> list[tuple[list[str], re.Pattern]]:
    """The (methods, raw-URI pattern) pairs the public site forwards to CouchDB: the sets
    inside the `not` matcher of the route that answers everything else itself."""
    public = next(s for s in config["apps"]["http"]["servers"].values() if s["listen"] == [":443"])
    routes = public["routes"][0]["handle"][0]["routes"]
    refusal = next(
        r for r in routes if "not" in (r.get("match") or [{}])[0] and "vars_regexp" in r["match"][0]["not"][0]
    )
    # Everything after the refusal is the catch-all to CouchDB.
    assert routes[-1] == routes[routes.index(refusal) + 1] and "match" not in routes[-1]
    return [
        (m["method"], re.compile(m["vars_regexp"]["{http.request.uri}"]["pattern"])) for m in refusal["match"][0]["not"]
    ]


PHONE_URIS = [
    ("GET", "/"),
    ("GET", "/biz_0a1b/"),
    ("HEAD", "/biz_0a1b"),
    ("GET", "/biz_0a1b/_changes?style=all_docs&since=12-g1A&limit=100"),
    ("POST", "/biz_0a1b/_changes?since=0"),
    ("POST", "/biz_0a1b/_revs_diff"),
    ("POST", "/biz_0a1b/_bulk_docs"),
    ("POST", "/biz_0a1b/_bulk_get?revs=true"),
    ("POST", "/biz_0a1b/_all_docs?include_docs=true"),
    ("GET", "/biz_0a1b/_local/9dc8a1%2F00"),
    ("PUT", "/biz_0a1b/_local/9dc8a1"),
    ("GET", "/biz_0a1b/sale%3A0d9e?revs=true&open_revs=%5B%221-a%22%5D"),
    ("POST", "/_session"),
    ("GET", "/_session"),
    ("DELETE", "/_session"),
    ("GET", "/_utils/"),
    ("GET", "/_utils/dashboard.assets/js/bundle.js"),
]
NOT_FOR_PHONES = [
    ("POST", "/_replicate"),
    ("POST", "/%5Freplicate"),
    ("POST", "/_Replicate"),
    ("POST", "//_replicate"),
    ("POST", "/biz_0a1b/..%2F_replicate"),
    ("POST", "/biz_0a1b/../_replicate"),
    ("GET", "/_replicator"),
    ("GET", "/_scheduler/jobs"),
    ("GET", "/_node/_local/_config"),
    ("GET", "/_config"),
    ("GET", "/_all_dbs"),
    ("GET", "/_dbs_info"),
    ("GET", "/_db_updates"),
    ("GET", "/_users/_all_docs"),
    ("GET", "/_up"),
    ("GET", "/_global_changes"),
    ("GET", "/svc_otp"),
    ("GET", "/biz_0a1b/_design%2Fv"),
    ("GET", "/biz_0a1b/%5Fdesign/v"),
    ("GET", "/biz_0a1b/_design/v"),
    ("GET", "/biz_0a1b/a+b"),
    ("GET", "/biz_0a1b/_changes/"),
    ("POST", "/biz_0a1b/_find"),
    ("GET", "/biz_0a1b/_security"),
    ("COPY", "/biz_0a1b/doc"),
    ("PUT", "/biz_0a1b/doc"),
    ("DELETE", "/biz_0a1b"),
    ("GET", "/_utils/../_all_dbs"),
    ("GET", "/_utils/..%2F_all_dbs"),
]


@needs_caddy
def test_the_public_site_forwards_to_couchdb_only_what_a_phone_uses():
    """The allow-list as Caddy adapted it (Go's RE2 and Python's re agree on these patterns);
    tests/security/test_public_proxy.py sends the same kind of requests through a real Caddy."""
    allowed = phone_allow_list(production_config())

    def forwarded(method: str, uri: str) -> bool:
        return any(method in methods and pattern.search(uri) for methods, pattern in allowed)

    assert [r for r in PHONE_URIS if not forwarded(*r)] == []
    assert [r for r in NOT_FOR_PHONES if forwarded(*r)] == []


def test_prometheus_scrapes_the_services_and_couchdbs_prometheus_port():
    config = yaml.safe_load((ROOT / "couchdb" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    services = jobs["services"]["dns_sd_configs"][0]
    assert set(services["names"]) == {"services", "services-cluster"} and services["port"] == 8000
    couch = jobs["couchdb"]["dns_sd_configs"][0]
    assert set(couch["names"]) == {"couchdb", *NODES}
    assert couch["port"] == int(ini()["prometheus"]["port"])
    assert jobs["couchdb"]["metrics_path"] == "/_node/_local/_prometheus"
    assert mounts(SERVICES["prometheus"])["./couchdb/prometheus.yml"] == "/etc/prometheus/prometheus.yml"


def test_grafana_dashboard_queries_only_metrics_the_services_export():
    dashboard = json.loads((ROOT / "couchdb" / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    families = [
        family
        for metric in vars(metrics).values()
        if isinstance(metric, MetricWrapperBase)
        for family in metric.describe()
    ]
    exported = {family.name + suffix for family in families for suffix in ("", "_total", "_bucket", "_count", "_sum")}
    used = {name for expr in exprs for name in re.findall(r"shopbill_\w+", expr)}
    assert used and used <= exported, used - exported
    assert any("couchdb_httpd_status_codes" in expr for expr in exprs)  # sync denials
