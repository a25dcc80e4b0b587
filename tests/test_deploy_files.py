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
