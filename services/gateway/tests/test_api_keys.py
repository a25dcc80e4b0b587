"""API keys end to end: created by the `haat api-key` command, used over the API, scoped by role."""

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from haat_testkit.fixtures import subprocess_env
from services.gateway.tests.test_stream import record_stock_event


def haat(settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "haat.cli.main", *args],
        env=subprocess_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def gateway(service):
    return service("gateway")


def test_a_key_from_the_cli_authenticates_and_is_stored_only_hashed(gateway):
    result = haat(gateway.settings, "api-key", "create", "--role", "coordinator", "--clf", "clf-7", "--label", "didi")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key.startswith("haat_")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        me = client.get("/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200
    assert me.json() == {"key_id": me.json()["key_id"], "role": "coordinator", "clf_id": "clf-7", "label": "didi"}
    listing = haat(gateway.settings, "api-key", "list")
    assert "clf-7" in listing.stdout
    assert key not in listing.stdout
    with gateway.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.exec_driver_sql("SELECT * FROM api_keys") for v in row)
    assert key not in stored


def test_cli_refuses_a_coordinator_key_without_a_clf_and_an_unknown_role(gateway):
    no_clf = haat(gateway.settings, "api-key", "create", "--role", "coordinator")
    assert no_clf.returncode == 2
    assert "--clf" in no_clf.stderr
    bad_role = haat(gateway.settings, "api-key", "create", "--role", "superuser")
    assert bad_role.returncode == 2
    assert "role must be one of" in bad_role.stderr


def test_missing_unknown_and_replaced_keys_are_refused(gateway):
    first = haat(gateway.settings, "api-key", "create", "--role", "admin", "--label", "ops").stdout.strip()
    second = haat(
        gateway.settings, "api-key", "create", "--role", "admin", "--label", "ops", "--replace"
    ).stdout.strip()
    with TestClient(gateway.definition.create_app(gateway)) as client:
        missing = client.get("/v1/me")
        unknown = client.get("/v1/me", headers={"Authorization": "Bearer haat_not-a-key"})
        replaced = client.get("/v1/me", headers={"Authorization": f"Bearer {first}"})
        current = client.get("/v1/me", headers={"Authorization": f"Bearer {second}"})
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert unknown.status_code == 401
    assert replaced.status_code == 401, "--replace revoked the earlier key with the same label"
    assert current.status_code == 200


def test_the_event_log_shows_each_caller_what_she_may_see_and_event_types_are_public(gateway):
    partner = haat(gateway.settings, "api-key", "create", "--role", "partner", "--clf", "clf-b").stdout.strip()
    admin = haat(gateway.settings, "api-key", "create", "--role", "admin").stdout.strip()
    record_stock_event(gateway, "clf-a", "A-1")
    record_stock_event(gateway, "clf-b", "B-1")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        granted = client.get("/v1/events", headers={"Authorization": f"Bearer {partner}"})
        everything = client.get("/v1/events", headers={"Authorization": f"Bearer {admin}"})
        types = client.get("/v1/event-types")
    assert [e["subject"] for e in granted.json()["items"]] == ["B-1"], "a partner: the CLFs it was granted"
    assert [e["subject"] for e in everything.json()["items"]] == ["B-1", "A-1"], "an admin: all, newest first"
    names = [t["name"] for t in types.json()["items"]]
    assert "haat.catalog.product.submitted.v1" in names
    assert "haat.connectors.marketplace_order.received.v1" not in names, "the marketplaces' documents stay inside"
    assert all({"name", "description", "schema"} <= set(t) for t in types.json()["items"])
