"""The production files are checked here, where no Docker engine runs: the compose file against the
Compose Specification schema (shared/reference/compose-spec), and its wiring against the services."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from haat.service import discover_services

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_SCHEMA = ROOT.parent / "shared" / "reference" / "compose-spec" / "compose-spec.json"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.mark.skipif(not COMPOSE_SCHEMA.exists(), reason="shared/reference is not beside this checkout")
def test_compose_file_follows_the_compose_specification(compose):
    schema = json.loads(COMPOSE_SCHEMA.read_text())  # draft 7, under an id jsonschema does not know
    jsonschema.Draft7Validator(schema).validate(compose)


def test_every_service_runs_from_the_image_with_its_own_database_and_health_check(compose):
    services = compose["services"]
    environment = compose["x-haat-env"]
    for name in discover_services():
        assert services[name]["command"] == ["serve", name]
        assert services[name]["healthcheck"]["test"] == ["CMD", "haat", "health", name]
        assert f"/haat_{name}" in environment[f"HAAT_{name.upper()}_DATABASE_URL"]
    assert environment["HAAT_ENVIRONMENT"] == "production"
    assert environment["HAAT_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"


def test_migrations_and_topics_run_before_the_services(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["topics"]["command"] == ["topics"]
    for name in discover_services():
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    databases = (ROOT / "deploy" / "postgres" / "create-databases.sql").read_text()
    for name in discover_services():
        assert f"CREATE DATABASE haat_{name};" in databases


def test_no_secret_is_written_into_the_compose_file(compose):
    environment = compose["x-haat-env"]
    assert environment["HAAT_INTERNAL_TOKEN_SECRET"].startswith("${")
    assert "${POSTGRES_PASSWORD" in environment["HAAT_CATALOG_DATABASE_URL"]


K8S = ROOT / "deploy" / "k8s"


def manifests() -> list[dict]:
    documents = []
    for path in sorted((K8S / "base").glob("*.yaml")) + sorted((K8S / "overlays").rglob("*.yaml")):
        if path.name != "kustomization.yaml":
            documents += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return documents


def test_kubernetes_manifests_follow_the_kubernetes_schemas():
    import kubernetes_validate

    version = kubernetes_validate.latest_version()
    for document in manifests():
        if document["kind"] == "Deployment" and "selector" not in document.get("spec", {}):
            continue  # a strategic-merge patch of the overlay, not a whole resource
        kubernetes_validate.validate(document, version, strict=True)


def test_every_service_has_its_api_worker_probes_and_autoscaler():
    kinds = {(d["kind"], d["metadata"]["name"]) for d in manifests()}
    for name in discover_services():
        assert {("Deployment", name), ("Service", name), ("Deployment", f"{name}-worker")} <= kinds
        assert ("HorizontalPodAutoscaler", name) in kinds
    by_name = {d["metadata"]["name"]: d for d in manifests() if d["kind"] == "Deployment" and "selector" in d["spec"]}
    for name in discover_services():
        container = by_name[name]["spec"]["template"]["spec"]["containers"][0]
        assert container["args"] == ["serve", name], "the image runs what the tests run"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["resources"]["requests"]
        assert by_name[f"{name}-worker"]["spec"]["template"]["spec"]["containers"][0]["args"] == ["worker", name]
    jobs = {d["metadata"]["name"]: d for d in manifests() if d["kind"] == "Job"}
    assert jobs["haat-migrate"]["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]


def test_only_the_gateway_is_public_and_no_secret_is_in_the_manifests():
    policies = {d["metadata"]["name"]: d for d in manifests() if d["kind"] == "NetworkPolicy"}
    assert policies["internal-services"]["spec"]["podSelector"]["matchLabels"] == {"haat/exposure": "internal"}
    exposure = {
        d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"]["haat/exposure"]
        for d in manifests()
        if (d["kind"] in ("Deployment", "Job") and "selector" in d.get("spec", {})) or d["kind"] == "Job"
    }
    assert {name for name, value in exposure.items() if value == "public"} == {"gateway"}
    text = "\n".join(p.read_text() for p in K8S.rglob("*.yaml"))
    for secret in ("DATABASE_URL", "INTERNAL_TOKEN_SECRET", "PASSWORD"):
        assert secret not in text, f"{secret} belongs in the haat-secrets Secret, not in the manifests"


def test_kustomizations_name_only_files_that_exist():
    for kustomization in K8S.rglob("kustomization.yaml"):
        spec = yaml.safe_load(kustomization.read_text())
        for entry in spec.get("resources", []) + [p["path"] for p in spec.get("patches", [])]:
            assert (kustomization.parent / entry).exists(), f"{kustomization}: {entry}"


def test_observability_profile_has_a_collector_and_a_trace_viewer(compose):
    services = compose["services"]
    assert services["otel-collector"]["profiles"] == ["observability"]
    assert services["jaeger"]["profiles"] == ["observability"]
    config = yaml.safe_load((ROOT / "deploy" / "otel-collector.yaml").read_text())
    assert config["service"]["pipelines"]["traces"]["exporters"] == ["otlp/jaeger"]


def _compose_cli() -> bool:
    import shutil
    import subprocess

    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _compose_cli(), reason="no Docker Compose client on this machine")
def test_docker_compose_accepts_the_file():
    import os
    import subprocess

    env = {**os.environ, "POSTGRES_PASSWORD": "x", "HAAT_INTERNAL_TOKEN_SECRET": "y"}
    result = subprocess.run(
        ["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_sandbox_marketplaces_run_behind_a_profile_and_connectors_find_them_by_default(compose):
    services = compose["services"]
    for channel, port in (("amazon", "8101"), ("flipkart", "8102")):
        sandbox = services[f"{channel}-sandbox"]
        assert sandbox["profiles"] == ["sandbox"]
        assert sandbox["command"][:3] == ["sandbox", "run", channel]
        assert port in sandbox["command"]
        assert sandbox["depends_on"] == []  # a marketplace needs no database or broker
    env = services["connectors"]["environment"]
    assert env["HAAT_CONNECTORS_AMAZON_API_URL"] == "${HAAT_CONNECTORS_AMAZON_API_URL:-http://amazon-sandbox:8101}"
    assert env["HAAT_CONNECTORS_FLIPKART_API_URL"].endswith("http://flipkart-sandbox:8102}")


RUNTIME_PACKAGES = [ROOT / "libs" / "haat", *sorted((ROOT / "services").glob("*/haat_*"))]


def test_the_production_image_holds_no_sandbox_and_no_test_kit():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    copied = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("COPY ") and "--from" not in line]
    assert set(copied) == {"requirements/", "libs/", "services/"}, copied
    installed = dockerfile[dockerfile.index("pip install --no-cache-dir -c requirements/constraints.txt \\") :]
    assert "sandboxes" not in installed
    assert "testkit" not in installed
    for package in RUNTIME_PACKAGES:
        for module in package.rglob("*.py"):
            text = module.read_text()
            for kit in ("haat_testkit", "haat_sandboxes", "haat.testing"):
                assert kit not in text, f"{module.relative_to(ROOT)} uses {kit}, which production does not have"
            assert module.name not in ("testing.py", "factories.py"), f"test support in {module.relative_to(ROOT)}"
